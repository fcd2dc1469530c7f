using System.Text.Json;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>
/// Runs one module endpoint: a DI scope of the module's container per call (the resource and the
/// services it binds come from it), the call counted in the module's gate, and every failure turned
/// into a <see cref="PbxApiResult"/> — a module's exception never escapes into the host.
/// </summary>
internal sealed partial class ModuleEndpointInvoker(
    string moduleId, string route, ModuleCallGate gate, IServiceProvider moduleServices, RequestDelegate inner, JsonSerializerOptions json, ILogger logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!gate.TryEnter())
        {
            await PbxApiHttpResult.WriteAsync(context, PbxApiResult.NotFound($"Module '{moduleId}' is being disabled; {route} is no longer served."), json);
            return;
        }

        var hostServices = context.RequestServices;
        try
        {
            await using var scope = moduleServices.CreateAsyncScope();
            context.RequestServices = scope.ServiceProvider;
            try
            {
                await inner(context);
            }
            finally
            {
                context.RequestServices = hostServices;
            }
        }
        catch (PbxApiException ex)
        {
            await PbxApiHttpResult.WriteAsync(context, ex.Result, json);
        }
        catch (BadHttpRequestException ex)
        {
            // Malformed JSON, a route value that does not parse, a missing required parameter.
            await PbxApiHttpResult.WriteAsync(context, PbxApiResult.Fail(ex.StatusCode, ex.Message), json);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception ex)
        {
            LogCallFailed(logger, ex, moduleId, route);
            await PbxApiHttpResult.WriteAsync(context, PbxApiResult.ServerError(
                $"{route} of module '{moduleId}' failed with {ex.GetType().Name}. The host is unaffected; the details are in the daemon log under module '{moduleId}'. If it persists, report it to the module's developer."), json);
        }
        finally
        {
            gate.Exit();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "REST call {Route} of module {ModuleId} failed")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string moduleId, string route);
}
