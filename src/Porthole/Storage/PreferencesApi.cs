using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.Pipeline;
using Porthole.Storage;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// GET/PUT /api/v1/me/preferences: theme, default namespace and cluster, the namespaces selected
/// in the web UI (empty: all), page size, time format and favourites, per user. PUT changes only the fields it carries (null resets one to its
/// default); an unknown field or a wrong value is a 400 that changes nothing.
/// </summary>
public static class PreferencesApi
{
    private static readonly string[] Themes = ["system", "light", "dark"];
    private static readonly string[] TimeFormats = ["relative", "local", "utc"];

    /// <summary>What a user has not chosen.</summary>
    private static JsonObject Defaults() => new()
    {
        ["theme"] = "system",
        ["defaultNamespace"] = null,
        ["defaultCluster"] = null,
        ["namespaces"] = new JsonArray(),
        ["pageSize"] = 50,
        ["timeFormat"] = "relative",
        ["favourites"] = new JsonArray(),
    };

    public static IEndpointRouteBuilder MapPortholePreferences(this IEndpointRouteBuilder endpoints)
    {
        var me = endpoints.MapPortholeApiGroup().MapGroup("/me");
        me.MapGet("/preferences", async (HttpContext context, PortholeStore store) =>
                Results.Json(WithDefaults(await store.PreferencesAsync(context.GetPortholeUser()!.Name, context.RequestAborted))))
            .WithName("GetPreferences").WithSummary("The signed-in user's preferences");
        me.MapPut("/preferences", UpdateAsync).WithName("UpdatePreferences").WithSummary("Change the given preference fields");
        return endpoints;
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, PortholeStore store, TimeProvider time)
    {
        JsonObject? changes;
        try
        {
            changes = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException e)
        {
            return Bad($"The body is not JSON: {e.Message}");
        }

        if (changes is null)
        {
            return Bad("The body must be a JSON object of preference fields.");
        }

        foreach (var (key, value) in changes)
        {
            if (value is not null && Problem(key, value) is { } problem)
            {
                return Bad(problem);
            }

            if (!Defaults().ContainsKey(key))
            {
                return Bad($"Unknown preference '{key}'; known: {string.Join(", ", Defaults().Select(p => p.Key))}.");
            }
        }

        return Results.Json(WithDefaults(await store.UpdatePreferencesAsync(context.GetPortholeUser()!.Name, changes, time.GetUtcNow(), context.RequestAborted)));
    }

    private static string? Problem(string key, JsonNode value) => key switch
    {
        "theme" when !IsOneOf(value, Themes) => $"theme must be one of {string.Join(", ", Themes)}",
        "timeFormat" when !IsOneOf(value, TimeFormats) => $"timeFormat must be one of {string.Join(", ", TimeFormats)}",
        "pageSize" when value is not JsonValue v || !v.TryGetValue<int>(out var n) || n is < 10 or > 1000 => "pageSize must be a whole number from 10 to 1000",
        "defaultNamespace" or "defaultCluster" when value is not JsonValue s || !s.TryGetValue<string>(out var text) || text.Length is 0 or > 253 => $"{key} must be a non-empty string",
        "favourites" when !IsStringList(value, 500, 1024) => "favourites must be a list of at most 500 non-empty strings",
        "namespaces" when !IsStringList(value, 100, 253) => "namespaces must be a list of at most 100 namespace names",
        _ => null,
    };

    private static bool IsStringList(JsonNode value, int maxCount, int maxLength) =>
        value is JsonArray a && a.Count <= maxCount && a.All(f => f is JsonValue fv && fv.TryGetValue<string>(out var t) && t.Length is > 0 && t.Length <= maxLength);

    private static bool IsOneOf(JsonNode value, string[] allowed) => value is JsonValue v && v.TryGetValue<string>(out var s) && allowed.Contains(s);

    private static JsonObject WithDefaults(JsonObject stored)
    {
        var result = Defaults();
        foreach (var (key, value) in stored)
        {
            if (result.ContainsKey(key))
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    private static ProblemResult Bad(string detail) => new(StatusCodes.Status400BadRequest, "bad_request", "Invalid preferences", detail);
}
