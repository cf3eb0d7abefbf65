using System.Text;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Patching;
using Porthole.KubeSim.Patching.Apply;
using Porthole.KubeSim.Serialization;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Server;

internal sealed partial class KubeApi
{
    private const int PatchRetries = 5;

    private async Task CreateAsync(ApiRequest r)
    {
        var obj = await ReadObjectAsync(r);
        var created = Admit(r, obj);
        if (r.DryRun)
        {
            await ApiResponses.WriteObjectAsync(r.Http, 201, created);
            return;
        }

        var stored = _sim.Store.Create(r.Type, created);
        _sim.Controllers.AfterCreate(r.Type, stored);
        await WriteWarningsAndStoredAsync(r, 201, stored);
    }

    /// <summary>Validates and defaults a new object: the create half of the API server's strategy.</summary>
    private JsonObject Admit(ApiRequest r, JsonObject obj)
    {
        ObjectRules.CheckKind(r.Type, obj);
        var meta = obj.Metadata();
        if (r.Type.Namespaced)
        {
            var ns = obj.Namespace();
            if (ns.Length > 0 && r.Info.Namespace.Length > 0 && ns != r.Info.Namespace)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta["namespace"] = r.Info.Namespace.Length > 0 ? r.Info.Namespace : ns;
        }
        else
        {
            meta.Remove("namespace");
        }

        ObjectRules.GenerateName(obj);
        ObjectRules.ValidateMetadata(r.Type, obj);
        if (r.Type.Namespaced)
        {
            _sim.Controllers.RequireActiveNamespace(r.Type, obj.Namespace(), obj.Name());
        }

        _sim.Validate(r.Type, obj, r.Query("fieldValidation"), r.Http.Response.Headers);
        if (r.Type.StorageKey == Controllers.CrdController.StorageKey)
        {
            OpenApi.CrdResources.Validate(obj);
        }

        var now = _sim.Time.GetUtcNow();
        ObjectRules.PrepareForCreate(r.Type, obj, now, _sim);
        ManagedFields.RecordUpdate(r.Type, null, obj, FieldManager(r), null, now, SchemaListStrategies.For(r.Type));
        return obj;
    }

    private async Task UpdateAsync(ApiRequest r)
    {
        var obj = await ReadObjectAsync(r);
        ObjectRules.CheckKind(r.Type, obj);
        if (obj.Name() != r.Info.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({obj.Name()}) does not match the name on the URL ({r.Info.Name})");
        }

        if (r.Type.Namespaced)
        {
            obj.Metadata()["namespace"] = r.Info.Namespace;
        }

        var live = _sim.Store.Get(r.Type, r.Info.Namespace, r.Info.Name) ?? throw ApiException.NotFound(r.Type, r.Info.Name);
        _sim.Validate(r.Type, obj, r.Query("fieldValidation"), r.Http.Response.Headers);
        var updated = PrepareUpdate(r, live.Parse(), obj);
        await CommitUpdateAsync(r, updated);
    }

    private async Task PatchAsync(ApiRequest r)
    {
        var contentType = (r.Http.Request.ContentType ?? "").Split(';')[0].Trim();
        var body = await ReadBodyAsync(r);
        if (Patcher.IsApply(contentType))
        {
            await ApplyAsync(r, body);
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            var live = _sim.Store.Get(r.Type, r.Info.Namespace, r.Info.Name) ?? throw ApiException.NotFound(r.Type, r.Info.Name);
            var current = live.Parse();
            var patched = Patcher.Apply(contentType, r.Type.Kind, r.Type.IsCustom, current.DeepClone().AsObject(), body);
            ObjectRules.CheckKind(r.Type, patched);
            ObjectRules.CheckIdentity(r.Type, r.Info, patched);
            _sim.Validate(r.Type, patched, r.Query("fieldValidation"), r.Http.Response.Headers, decoding: false);
            var updated = PrepareUpdate(r, current, patched);
            var preconditioned = patched.ResourceVersion() != live.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                await CommitUpdateAsync(r, updated);
                return;
            }
            catch (ApiException e) when (e.Code == 409 && !preconditioned && attempt < PatchRetries)
            {
                // Lost a race with another writer: a patch is re-applied to the new state, as the API server does.
            }
        }
    }

    private async Task ApplyAsync(ApiRequest r, string body)
    {
        var manager = r.Query("fieldManager");
        if (string.IsNullOrEmpty(manager))
        {
            throw ApiException.BadRequest("PATCH /apply requires a non-empty fieldManager query parameter (fieldManager is required for apply requests)");
        }

        var applied = Yaml.ToJson(body) as JsonObject ?? throw ApiException.BadRequest("apply patch must be a YAML or JSON object");
        ObjectRules.CheckKind(r.Type, applied);
        ObjectRules.CheckIdentity(r.Type, r.Info, applied);
        var force = r.Flag("force");
        _sim.Validate(r.Type, applied, r.Query("fieldValidation"), r.Http.Response.Headers, decoding: false);
        for (var attempt = 0; ; attempt++)
        {
            var live = _sim.Store.Get(r.Type, r.Info.Namespace, r.Info.Name);
            var now = _sim.Time.GetUtcNow();
            if (live is null)
            {
                var fresh = applied.DeepClone().AsObject();
                if (r.Type.Namespaced)
                {
                    fresh.Metadata()["namespace"] = r.Info.Namespace;
                }

                var merged = ServerSideApply.Apply(r.Type, null, fresh, manager, force, now, listStrategy: SchemaListStrategies.For(r.Type));
                ObjectRules.ValidateMetadata(r.Type, merged);
                if (r.Type.Namespaced)
                {
                    _sim.Controllers.RequireActiveNamespace(r.Type, r.Info.Namespace, r.Info.Name);
                }

                ObjectRules.PrepareForCreate(r.Type, merged, now, _sim);
                if (r.DryRun)
                {
                    await ApiResponses.WriteObjectAsync(r.Http, 201, merged);
                    return;
                }

                try
                {
                    var stored = _sim.Store.Create(r.Type, merged);
                    _sim.Controllers.AfterCreate(r.Type, stored);
                    await WriteWarningsAndStoredAsync(r, 201, stored);
                    return;
                }
                catch (ApiException e) when (e.Code == 409 && attempt < PatchRetries)
                {
                    continue;
                }
            }

            var current = live.Parse();
            var result = ServerSideApply.Apply(r.Type, current.DeepClone().AsObject(), applied.DeepClone().AsObject(), manager, force, now, r.Info.Subresource.Length > 0 ? r.Info.Subresource : null, SchemaListStrategies.For(r.Type));
            result.Metadata()["resourceVersion"] = current.ResourceVersion();
            var updated = PrepareUpdate(r, current, result, recordManagedFields: false);
            try
            {
                await CommitUpdateAsync(r, updated);
                return;
            }
            catch (ApiException e) when (e.Code == 409 && e.Reason == "Conflict" && attempt < PatchRetries && !e.Message.StartsWith("Apply failed", StringComparison.Ordinal))
            {
            }
        }
    }

    /// <summary>The update half of the strategy: keeps what clients may not change, bumps generation.</summary>
    private JsonObject PrepareUpdate(ApiRequest r, JsonObject live, JsonObject updated, bool recordManagedFields = true)
    {
        var now = _sim.Time.GetUtcNow();
        ObjectRules.PrepareForUpdate(r.Type, r.Info.Subresource, live, updated);
        ObjectRules.ValidateMetadata(r.Type, updated);
        if (recordManagedFields)
        {
            ManagedFields.RecordUpdate(r.Type, live, updated, FieldManager(r), r.Info.Subresource.Length > 0 ? r.Info.Subresource : null, now, SchemaListStrategies.For(r.Type));
        }

        return updated;
    }

    private async Task CommitUpdateAsync(ApiRequest r, JsonObject updated)
    {
        if (r.DryRun)
        {
            await ApiResponses.WriteObjectAsync(r.Http, 200, updated);
            return;
        }

        var stored = _sim.Store.Update(r.Type, updated);
        stored = _sim.Controllers.AfterUpdate(r.Type, stored);
        await WriteWarningsAndStoredAsync(r, 200, stored);
    }

    private static Task WriteWarningsAndStoredAsync(ApiRequest r, int status, StoredObject stored) =>
        ApiResponses.WriteStoredAsync(r.Http, status, stored);

    /// <summary>fieldManager, or the user agent's product name as the API server defaults it.</summary>
    internal static string FieldManager(ApiRequest r) =>
        ManagedFields.DefaultManager(r.Query("fieldManager"), r.Http.Request.Headers.UserAgent.ToString());

    private static async Task<byte[]> ReadBytesAsync(ApiRequest r)
    {
        using var ms = new MemoryStream();
        await r.Http.Request.Body.CopyToAsync(ms, r.Aborted);
        return ms.ToArray();
    }

    private static async Task<string> ReadBodyAsync(ApiRequest r)
    {
        using var reader = new StreamReader(r.Http.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(r.Aborted);
    }

    /// <summary>The request body as an object, JSON, YAML or protobuf by Content-Type.</summary>
    private static async Task<JsonObject> ReadObjectAsync(ApiRequest r)
    {
        if (ContentNegotiation.IsProtobufBody(r.Http.Request))
        {
            if (r.Type.IsCustom)
            {
                // Custom resources are served in JSON and YAML only.
                throw Patcher.UnsupportedMediaType(["application/json", "application/yaml"]);
            }

            var (apiVersion, kind) = ProtobufBodies.Expected(r.Type, r.Info.Subresource);
            return ProtobufBodies.Decode(await ReadBytesAsync(r), apiVersion, kind);
        }

        var body = await ReadBodyAsync(r);
        var contentType = (r.Http.Request.ContentType ?? "application/json").Split(';')[0].Trim();
        JsonNode? node = contentType switch
        {
            "application/yaml" or "application/x-yaml" or "text/yaml" => Yaml.ToJson(body),
            "application/json" or "" => JsonNode.Parse(body),
            _ => throw Patcher.UnsupportedMediaType(["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]),
        };
        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }
}
