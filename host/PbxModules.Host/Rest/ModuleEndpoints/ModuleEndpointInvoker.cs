using System.Text.Json;
using PbxModules.Host.Draining;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>
/// Runs one module endpoint: a DI scope of the module's container per call (the resource and the
/// services it binds come from it), the call counted in the module's gate, and every failure turned
/// into a <see cref="PbxApiResult"/> — a module's exception never escapes into the host. The call's
/// <see cref="HttpContext.RequestAborted"/> (what a module binds as its <see cref="CancellationToken"/>)
/// is also cancelled by the gate's abort token, so that a call still running when disabling gives up
/// waiting is told to stop before the module's container goes.
/// </summary>
internal sealed partial class ModuleEndpointInvoker(
    string moduleId, string route, ModuleWorkGate gate, IServiceProvider moduleServices, RequestDelegate inner, JsonSerializerOptions json, ILogger logger)
{
    private static readonly object ClientAbortedKey = new();

    /// <summary>
    /// Gives the call back its own <see cref="HttpContext.RequestAborted"/> once the module's code has
    /// returned, so that writing the module's answer is not cancelled by the gate's abort.
    /// </summary>
    public static void EndModuleCode(HttpContext context)
    {
        if (context.Items.Remove(ClientAbortedKey, out var clientAborted)) context.RequestAborted = (CancellationToken)clientAborted!;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (!gate.TryEnter())
        {
            await PbxApiHttpResult.WriteAsync(context, PbxApiResult.NotFound($"Module '{moduleId}' is being disabled; {route} is no longer served."), json);
            return;
        }

        var hostServices = context.RequestServices;
        var clientAborted = context.RequestAborted;
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, gate.AbortToken);
        context.Items[ClientAbortedKey] = clientAborted;
        context.RequestAborted = aborted.Token;
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
                EndModuleCode(context);
            }
        }
        catch (OperationCanceledException) when (gate.AbortToken.IsCancellationRequested && !clientAborted.IsCancellationRequested)
        {
            await PbxApiHttpResult.WriteAsync(context, PbxApiResult.Fail(StatusCodes.Status503ServiceUnavailable,
                $"Module '{moduleId}' was disabled while {route} ran; the call was stopped."), json);
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
            gate.Leave();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "REST call {Route} of module {ModuleId} failed")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string moduleId, string route);
}
