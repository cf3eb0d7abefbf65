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

/** A SelfSubjectAccessReview's answer: allowed, and the authorizer's reason when it gave one. */
export interface AccessAnswer {
  allowed: boolean;
  reason?: string;
}

/** May the signed-in user do this? A SelfSubjectAccessReview made as the user through the resource API. */
export async function canI(cluster: string, attributes: AccessAttributes): Promise<AccessAnswer> {
  const review = await request<{ status?: { allowed?: boolean; reason?: string } }>(
    kubeUrl(cluster, 'apis/authorization.k8s.io/v1/selfsubjectaccessreviews'),
    { method: 'POST', body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } } },
  );
  return { allowed: review.status?.allowed === true, reason: review.status?.reason || undefined };
}
