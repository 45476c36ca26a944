using System;
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

/// <summary>CAMARA QoS Profiles v1.1 API under <c>/qos-profiles/v1</c>.</summary>
internal static class QosProfileEndpoints
{
    public const string BasePath = "/qos-profiles/v1";

    public static void MapQosProfileEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath);
        group.MapGet("/qos-profiles/{name}", Get);
        group.MapPost("/retrieve-qos-profiles", RetrieveAsync);
    }

    private static IResult Get(string name, ProfileCatalog catalog)
    {
        RequestValidator.ProfileName(name, "name");
        var profile = catalog.Find(name) ?? throw ApiError.NotFound($"QoS profile {name} does not exist.");
        return JsonResponses.Json(StatusCodes.Status200OK, profile.ToJson());
    }

    private static async Task<IResult> RetrieveAsync(HttpContext context, ProfileCatalog catalog)
    {
        // Every device the simulator knows is eligible for every profile, so the device filter only validates;
        // the exception is the simulator number that has no profiles at all (200 []).
        var (name, status, device) = RequestValidator.RetrieveProfiles(await RequestBody.ReadObjectAsync(context));
        if (device is not null && RequestValidator.HasNoProfiles(device))
        {
            return JsonResponses.Json(StatusCodes.Status200OK, new JsonArray());
        }

        var profiles = catalog.All
            .Where(p => name is null || string.Equals(p.Name, name, StringComparison.Ordinal))
            .Where(p => status is null || string.Equals(p.Status, status, StringComparison.Ordinal))
            .Select(p => (JsonNode)p.ToJson())
            .ToArray();
        return JsonResponses.Json(StatusCodes.Status200OK, new JsonArray(profiles));
    }
}
