using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NetworkAsCode.Simulator.Http;
using NetworkAsCode.Simulator.Profiles;
using NetworkAsCode.Simulator.Validation;

namespace NetworkAsCode.Simulator.Endpoints;

/// <summary>CAMARA Quality-on-Demand v1.1 sessions API under <c>/quality-on-demand/v1</c>.</summary>
internal static class QodEndpoints
{
    public const string BasePath = "/quality-on-demand/v1";

    public static void MapQodEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath);
        group.MapPost("/sessions", CreateAsync);
        group.MapGet("/sessions/{sessionId}", Get);
        group.MapDelete("/sessions/{sessionId}", Delete);
        group.MapPost("/sessions/{sessionId}/extend", ExtendAsync);
        group.MapPost("/retrieve-sessions", RetrieveAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SessionStore store, ProfileCatalog catalog)
    {
        var body = await RequestBody.ReadObjectAsync(context);
        var request = RequestValidator.CreateSession(body, catalog);
        var session = store.Create(request, $"{context.Request.Scheme}://{context.Request.Host}");
        context.Response.Headers.Location = $"{BasePath}/sessions/{session.Id}";
        return JsonResponses.Json(StatusCodes.Status201Created, session.ToJson());
    }

    private static IResult Get(string sessionId, SessionStore store) =>
        JsonResponses.Json(StatusCodes.Status200OK, store.Get(RequestValidator.SessionId(sessionId)).ToJson());

    private static IResult Delete(string sessionId, SessionStore store)
    {
        store.Delete(RequestValidator.SessionId(sessionId));
        return JsonResponses.NoContent();
    }

    private static async Task<IResult> ExtendAsync(string sessionId, HttpContext context, SessionStore store)
    {
        var id = RequestValidator.SessionId(sessionId);
        var additional = RequestValidator.ExtendSession(await RequestBody.ReadObjectAsync(context));
        return JsonResponses.Json(StatusCodes.Status200OK, store.Extend(id, additional).ToJson());
    }

    private static async Task<IResult> RetrieveAsync(HttpContext context, SessionStore store)
    {
        var device = RequestValidator.RetrieveSessions(await RequestBody.ReadObjectAsync(context));
        var sessions = store.RetrieveByDevice(device).Select(s => (JsonNode)s.ToJson()).ToArray();
        return JsonResponses.Json(StatusCodes.Status200OK, new JsonArray(sessions));
    }
}
