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
        catch (Exception ex)
        {
            await ApiExceptionTranslator.WriteAsync(context, ex, json, e =>
            {
                LogCallFailed(logger, e, moduleId, route);
                return $"{route} of module '{moduleId}' failed with {e.GetType().Name}. The host is unaffected; the details are in the daemon log under module '{moduleId}'. If it persists, report it to the module's developer.";
            });
        }
        finally
        {
            gate.Exit();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "REST call {Route} of module {ModuleId} failed")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string moduleId, string route);
}
