namespace TestModules.Rest;

/// <summary>A singleton of the module's container that notes when the container disposes it, so a call can tell whether its container went away under it.</summary>
public sealed class ContainerLifetime : IDisposable
{
    private volatile bool _disposed;

    /// <summary>True once the module's container has been disposed.</summary>
    public bool IsDisposed => _disposed;

    /// <inheritdoc/>
    public void Dispose() => _disposed = true;
}
