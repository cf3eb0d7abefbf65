import { kubeUrl } from './kube';
import { request } from './http';

export interface AccessAttributes {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** May the signed-in user do this? A SelfSubjectAccessReview made as the user through the resource API. */
export async function canI(cluster: string, attributes: AccessAttributes): Promise<boolean> {
  const review = await request<{ status?: { allowed?: boolean } }>(
    kubeUrl(cluster, 'apis/authorization.k8s.io/v1/selfsubjectaccessreviews'),
    { method: 'POST', body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } } },
  );
  return review.status?.allowed === true;
}
