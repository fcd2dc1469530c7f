using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PbxModules.Sdk.Testing.Output;

namespace PbxModules.Sdk.Testing.Daemon;

/// <summary>
/// The real pbx-modules daemon, started as its own process the way an administrator runs it: on free
/// loopback ports, with your modules folder and configuration overrides, its data in a temporary
/// folder, AMI pointed at your simulated Asterisk (or at nothing). It is ready when <c>/healthz</c>
/// answers; its output is kept for failure messages and for waiting on a log line.
/// </summary>
/// <example>
/// <code>
/// await using var asterisk = await SimulatedAmiServer.StartAsync();
/// await using var daemon = await PbxDaemon.StartAsync(new PbxDaemonOptions
/// {
///     DaemonPath = "/path/to/PbxModules.Host.dll",
///     ModulesFolder = "/path/to/my/modules",
///     AmiPort = asterisk.Port,
///     Settings = { ["Modules:my-module:Greeting"] = "hello" },
/// });
/// await daemon.WaitForOutputAsync("Module my-module enabled", TimeSpan.FromSeconds(30));
/// await using var call = await SimulatedAgiCall.ConnectAsync(daemon.AgiPort, new SimulatedAgiCallOptions { Script = "my-module/hello" });
/// </code>
/// </example>
public sealed class PbxDaemon : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private readonly Process _process;
    private readonly OutputLines _output;
    private readonly bool _viaDotnetRun;
    private bool _disposed;

    private PbxDaemon(Process process, OutputLines output, string root, int restPort, int agiPort, int amiPort, bool viaDotnetRun)
    {
        _process = process;
        _output = output;
        _viaDotnetRun = viaDotnetRun;
        Root = root;
        RestPort = restPort;
        AgiPort = agiPort;
        AmiPort = amiPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The daemon's working directory (its <c>var/</c> is here unless the settings say otherwise).</summary>
    public string Root { get; }

    /// <summary>The REST port on 127.0.0.1.</summary>
    public int RestPort { get; }

    /// <summary>The FastAGI port on 127.0.0.1.</summary>
    public int AgiPort { get; }

    /// <summary>The AMI port the daemon connects to.</summary>
    public int AmiPort { get; }

    /// <summary>A client of the REST API, without credentials (Development trusts loopback).</summary>
    public HttpClient Http { get; }

    /// <summary>Everything the daemon wrote so far (or the last <see cref="PbxDaemonOptions.MaxOutputLines"/> lines).</summary>
    public string Output => _output.Text;

    /// <summary>The daemon's process id (e.g. to read its memory from <c>/proc</c>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The daemon's resident memory now, in bytes.</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once it has exited (after <see cref="StopAsync"/>).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts the daemon and waits until it is ready (<c>/healthz</c> answers, and <see cref="PbxDaemonOptions.ReadyOutput"/>
    /// was written when set). Ports left to it are picked free; when another process takes one before
    /// the daemon binds it, the daemon exits and is started again on new ones (a few times at most).
    /// </summary>
    /// <exception cref="InvalidOperationException">The daemon exited during the start; the message holds its output.</exception>
    /// <exception cref="TimeoutException">It was not ready within <see cref="PbxDaemonOptions.StartTimeout"/>; it is stopped.</exception>
    public static async Task<PbxDaemon> StartAsync(PbxDaemonOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = options.Root ?? Directory.CreateTempSubdirectory("pbxmodules-daemon-").FullName;
        var portsAreOurs = options.RestPort is null || options.AgiPort is null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(options, root, cancellationToken);
            }
            catch (InvalidOperationException ex) when (portsAreOurs && attempt < StartAttempts && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    /// <summary>
    /// Starts a new daemon on this one's <see cref="Root"/> and ports (REST, FastAGI, AMI), as an administrator
    /// restarts it after a crash: same data and modules, the rest as <paramref name="options"/> says (e.g. the
    /// same settings without a fault-injection seam). This one must have exited (<see cref="WaitForExitAsync"/>, <see cref="KillAsync"/>) or been disposed.
    /// </summary>
    /// <exception cref="InvalidOperationException">This daemon still runs.</exception>
    public Task<PbxDaemon> RestartAsync(PbxDaemonOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A disposed daemon was stopped by its DisposeAsync.
        if (!_disposed && !_process.HasExited) throw new InvalidOperationException($"The daemon (process {_process.Id}) still runs: stop or kill it before starting another on its folders and ports.");
        return StartAsync(options.On(Root, RestPort, AgiPort, AmiPort), cancellationToken);
    }

    /// <summary>
    /// Runs the daemon until it exits by itself (a start it refuses, such as invalid configuration) and
    /// returns its exit code and output. Fails after <paramref name="patience"/> if it still runs (and kills it).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(PbxDaemonOptions options, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = options.Root ?? Directory.CreateTempSubdirectory("pbxmodules-daemon-").FullName;
        var output = new OutputLines(options.MaxOutputLines);
        using var process = Launch(options, root, options.RestPort ?? FreePort(), options.AgiPort ?? FreePort(), options.AmiPort ?? FreePort(), output);
        using var deadline = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The daemon was still running after {patience}:\n{output.Text}");
        }
        process.WaitForExit(); // drains the output handlers
        return (process.ExitCode, output.Text);
    }

    /// <summary>Waits until the daemon writes a line containing <paramref name="text"/> (at once if it has); fails after <paramref name="timeout"/>, quoting the output.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        try
        {
            await _output.SeenAsync(text).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The daemon did not write '{text}' within {timeout}:\n{Output}");
        }
    }

    /// <summary>
    /// Waits until the daemon's process exits by itself (e.g. a crash test's daemon that kills itself) and
    /// returns its exit code: on Linux 128 + the signal for a process a signal ended (137 for SIGKILL).
    /// Fails after <paramref name="timeout"/>, quoting the output; the daemon is left running then.
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The daemon did not exit within {timeout}:\n{Output}");
        }
        _process.WaitForExit(); // drains the output handlers
        return _process.ExitCode;
    }

    /// <summary>Stops the daemon as systemd does (SIGTERM) and waits up to 30 s for it to exit, then kills it.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        if (_viaDotnetRun)
        {
            // Whether `dotnet run` passes SIGTERM on to the daemon it started depends on the SDK: end both.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) kill?.WaitForExit();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Kills the daemon outright, as <c>kill -9</c> does (SIGKILL): no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>Stops the daemon (<see cref="StopAsync"/>) and releases the process; the <see cref="Root"/> folder stays.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        await StopAsync();
        Http.Dispose();
        _process.Dispose();
        _disposed = true;
    }

    /// <summary>A port that was free on loopback a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<PbxDaemon> StartOnceAsync(PbxDaemonOptions options, string root, CancellationToken cancellationToken)
    {
        var restPort = options.RestPort ?? FreePort();
        var agiPort = options.AgiPort ?? FreePort();
        var amiPort = options.AmiPort ?? FreePort();
        var output = new OutputLines(options.MaxOutputLines);
        var process = Launch(options, root, restPort, agiPort, amiPort, output);
        var daemon = new PbxDaemon(process, output, root, restPort, agiPort, amiPort, options.Launch.ViaDotnetRun);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.StartTimeout);
        try
        {
            await daemon.WaitUntilHealthAnswersAsync(options.ReadyWhenUnhealthy, deadline.Token);
            if (options.ReadyOutput is { } text) await output.SeenAsync(text).WaitAsync(deadline.Token);
            return daemon;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await daemon.DisposeAsync();
            throw new TimeoutException($"The daemon was not ready within {options.StartTimeout.TotalSeconds} s:\n{daemon.Output}");
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilHealthAnswersAsync(bool anyAnswer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the output handlers
                throw new InvalidOperationException($"The daemon exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await Http.GetAsync("/healthz", cancellationToken);
                if (response.IsSuccessStatusCode || (anyAnswer && response.StatusCode == HttpStatusCode.ServiceUnavailable)) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One request timed out (a loaded machine): ask again until the start's deadline.
            }
            await Task.Delay(200, cancellationToken);
        }
    }

    private static Process Launch(PbxDaemonOptions options, string root, int restPort, int agiPort, int amiPort, OutputLines output)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (options.Launch.ViaDotnetRun)
        {
            foreach (var arg in (string[])["run", "--no-build", "--project", options.DaemonPath, "-c", options.Configuration, "--"]) info.ArgumentList.Add(arg);
        }
        else
        {
            info.ArgumentList.Add(options.DaemonPath);
        }
        info.ArgumentList.Add($"--Rest:Url=http://127.0.0.1:{restPort}");
        info.ArgumentList.Add(FormattableString.Invariant($"--Agi:Port={agiPort}"));
        info.ArgumentList.Add(FormattableString.Invariant($"--Ami:Port={amiPort}"));
        if (options.ModulesFolder is { } modules) info.ArgumentList.Add($"--Paths:Modules={modules}");
        foreach (var (key, value) in options.Settings) info.ArgumentList.Add($"--{key}={value}");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("PBXMODULES_DEFAULT_ENVIRONMENT");
        if (options.Launch.EnvironmentVariable is { } variable) info.Environment[variable] = options.Launch.Environment;
        // One line per message, so that a test can wait for a log line.
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (name, value) in options.Environment) info.Environment[name] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started.");
        process.OutputDataReceived += (_, e) => output.Append(e.Data);
        process.ErrorDataReceived += (_, e) => output.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
