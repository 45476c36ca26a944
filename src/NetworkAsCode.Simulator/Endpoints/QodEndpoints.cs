using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NetworkAsCode.Simulator.Http;
using NetworkAsCode.Simulator.Model;
using NetworkAsCode.Simulator.Profiles;
using NetworkAsCode.Simulator.Validation;

namespace NetworkAsCode.Simulator.Endpoints;

/// <summary>
/// CAMARA Quality-on-Demand v1.1 sessions API under <c>/quality-on-demand/v1</c>, plus NaC's non-CAMARA
/// <c>GET /sessions</c> (every retained session of the caller's API key). Every operation sees only the sessions of the
/// key that sends it (<see cref="SessionOwner"/>); another key's session is 403 PERMISSION_DENIED.
/// </summary>
internal static class QodEndpoints
{
    public const string BasePath = "/quality-on-demand/v1";

    public static void MapQodEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath);
        group.MapPost("/sessions", CreateAsync);
        group.MapGet("/sessions", List);
        group.MapGet("/sessions/{sessionId}", Get);
        group.MapDelete("/sessions/{sessionId}", Delete);
        group.MapPost("/sessions/{sessionId}/extend", ExtendAsync);
        group.MapPost("/retrieve-sessions", RetrieveAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SessionStore store, ProfileCatalog catalog)
    {
        var body = await RequestBody.ReadObjectAsync(context);
        var request = RequestValidator.CreateSession(body, catalog);
        var session = store.Create(SessionOwner.FromRequest(context.Request), request, $"{context.Request.Scheme}://{context.Request.Host}");
        context.Response.Headers.Location = $"{BasePath}/sessions/{session.Id}";
        return JsonResponses.Json(StatusCodes.Status201Created, session.ToJson());
    }

    private static IResult List(HttpContext context, SessionStore store) =>
        SessionArray(store.ListByOwner(SessionOwner.FromRequest(context.Request)));

    private static IResult Get(string sessionId, HttpContext context, SessionStore store) =>
        JsonResponses.Json(StatusCodes.Status200OK, store.Get(SessionOwner.FromRequest(context.Request), RequestValidator.SessionId(sessionId)).ToJson());

    private static IResult Delete(string sessionId, HttpContext context, SessionStore store)
    {
        store.Delete(SessionOwner.FromRequest(context.Request), RequestValidator.SessionId(sessionId));
        return JsonResponses.NoContent();
    }

    private static async Task<IResult> ExtendAsync(string sessionId, HttpContext context, SessionStore store)
    {
        var id = RequestValidator.SessionId(sessionId);
        var additional = RequestValidator.ExtendSession(await RequestBody.ReadObjectAsync(context));
        return JsonResponses.Json(StatusCodes.Status200OK, store.Extend(SessionOwner.FromRequest(context.Request), id, additional).ToJson());
    }

    private static async Task<IResult> RetrieveAsync(HttpContext context, SessionStore store)
    {
        var device = RequestValidator.RetrieveSessions(await RequestBody.ReadObjectAsync(context));
        return SessionArray(store.RetrieveByDevice(SessionOwner.FromRequest(context.Request), device));
    }

    private static IResult SessionArray(IEnumerable<SessionSnapshot> sessions) =>
        JsonResponses.Json(StatusCodes.Status200OK, new JsonArray(sessions.Select(s => (JsonNode)s.ToJson()).ToArray()));
}
