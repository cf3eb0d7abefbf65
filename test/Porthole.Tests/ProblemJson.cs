using System.Net.Http;
using System.Text.Json;

namespace Porthole.Tests;

/// <summary>Reads an RFC 7807 response and checks the fields Porthole promises.</summary>
public static class ProblemJson
{
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string code)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.Equal(code, json.GetProperty("code").GetString());
        Assert.Equal(response.Headers.GetValues("X-Request-ID").Single(), json.GetProperty("requestId").GetString());
        return json;
    }
}
