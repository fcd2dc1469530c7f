using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace PbxModules.EndToEnd.Tests;

/// <summary>
/// The real daemon, started as its own process on free loopback ports with its data in a temp
/// folder, the way an administrator runs it. Output is captured for failure messages.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private bool _viaDotnetRun;

    private DaemonProcess(Process process, string root, int restPort, int agiPort)
    {
        _process = process;
        Root = root;
        RestPort = restPort;
        AgiPort = agiPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The temp folder holding var/ for this run.</summary>
    public string Root { get; }

    /// <summary>The REST port.</summary>
    public int RestPort { get; }

    /// <summary>The FastAGI port.</summary>
    public int AgiPort { get; }

    /// <summary>A client for the REST API.</summary>
    public HttpClient Http { get; }

    /// <summary>Everything the daemon wrote so far.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The daemon assembly the build embedded in this test assembly.</summary>
    public static string DaemonAssemblyPath => typeof(DaemonProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PbxModulesDaemonPath").Value!;

    /// <summary>The daemon's project, for starting it the way README does (<c>dotnet run --project …</c>).</summary>
    public static string DaemonProjectPath => Metadata("PbxModulesDaemonProject");

    /// <summary>The build configuration the daemon was built in.</summary>
    public static string BuildConfiguration => Metadata("PbxModulesConfiguration");

    private static string Metadata(string key) => typeof(DaemonProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!;

    /// <summary>
    /// Starts the daemon in Development (as `dotnet run` does) on free REST and FastAGI ports and waits
    /// until /healthz answers. AMI points at <paramref name="amiPort"/> (a simulated Asterisk), or at a
    /// free port where nothing listens, never at a real 5038. <paramref name="launch"/> picks another
    /// environment, or `dotnet run`.
    /// </summary>
    public static async Task<DaemonProcess> StartAsync(string? root = null, IDictionary<string, string>? settings = null, int? amiPort = null, DaemonLaunch? launch = null)
    {
        root ??= Directory.CreateTempSubdirectory("pbxmodules-e2e-").FullName;
        // Free ports are found by binding port 0 and letting go, so another test's listener can take one
        // before the daemon binds it: a daemon that exits on that picks new ports (a few times at most).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(root, settings, amiPort, launch);
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static async Task<DaemonProcess> StartOnceAsync(string root, IDictionary<string, string>? settings, int? amiPort, DaemonLaunch? launch)
    {
        var restPort = FreePort();
        var agiPort = FreePort();
        var info = Prepare(root, restPort, agiPort, amiPort ?? FreePort(), settings, launch ?? DaemonLaunch.Development);

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started.");
        var daemon = new DaemonProcess(process, root, restPort, agiPort) { _viaDotnetRun = launch?.ViaDotnetRun == true };
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // `dotnet run` evaluates the project before it starts the daemon: give it longer.
        var patience = TimeSpan.FromSeconds(launch?.ViaDotnetRun == true ? 240 : 90);
        using var deadline = new CancellationTokenSource(patience);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The daemon exited with code {process.ExitCode}:\n{daemon.Output}");
            try
            {
                using var response = await daemon.Http.GetAsync("/healthz", deadline.Token);
                if (response.IsSuccessStatusCode) return daemon;
            }
            catch (HttpRequestException)
            {
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                await daemon.DisposeAsync();
                throw new TimeoutException($"The daemon did not answer /healthz within {patience.TotalSeconds} s:\n{daemon.Output}");
            }
            await Task.Delay(200, deadline.Token);
        }
    }

    /// <summary>
    /// Runs the daemon until it exits by itself (a start-up it refuses); returns its exit code and
    /// output. Fails after <paramref name="patience"/> if it is still running (and stops it).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string root, IDictionary<string, string> settings, DaemonLaunch launch, TimeSpan patience)
    {
        var info = Prepare(root, FreePort(), FreePort(), FreePort(), settings, launch);
        var output = new StringBuilder();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started.");
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (output) throw new TimeoutException($"The daemon was still running after {patience}:\n{output}");
        }
        process.WaitForExit(); // drains the output handlers
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static ProcessStartInfo Prepare(string root, int restPort, int agiPort, int amiPort, IDictionary<string, string>? settings, DaemonLaunch launch)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (launch.ViaDotnetRun)
        {
            foreach (var arg in (string[])["run", "--no-build", "--project", DaemonProjectPath, "-c", BuildConfiguration, "--"]) info.ArgumentList.Add(arg);
        }
        else
        {
            info.ArgumentList.Add(DaemonAssemblyPath);
        }
        info.ArgumentList.Add($"--Rest:Url=http://127.0.0.1:{restPort}");
        info.ArgumentList.Add($"--Agi:Port={agiPort}");
        info.ArgumentList.Add($"--Ami:Port={amiPort}");
        info.ArgumentList.Add("--Ami:Secret=admin-secret");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            info.ArgumentList.Add($"--{key}={value}");
        // Nothing inherited decides the environment: only what the launch says.
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("PBXMODULES_DEFAULT_ENVIRONMENT");
        if (launch.EnvironmentVariable is { } variable) info.Environment[variable] = launch.Environment;
        info.Environment["Logging__Console__FormatterName"] = "simple";
        return info;
    }

    /// <summary>Stops the daemon the way systemd does (SIGTERM) and waits for it to exit.</summary>
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
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
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

    /// <summary>The daemon's process id (to read its memory from <c>/proc</c>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Kills the daemon outright, as <c>kill -9</c> does (SIGKILL): no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>The exit code after <see cref="StopAsync"/>.</summary>
    public int ExitCode => _process.ExitCode;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        _process.Dispose();
    }

    /// <summary>A port that was free a moment ago on loopback.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        List<(string Text, TaskCompletionSource Seen)> seen;
        lock (_output)
        {
            _output.AppendLine(line);
            seen = _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList();
            _waiters.RemoveAll(seen.Contains);
        }
        foreach (var waiter in seen) waiter.Seen.TrySetResult();
    }

    /// <summary>Waits until the daemon writes a line containing <paramref name="text"/> (or has written one); fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var waiter = (Text: text, Seen: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal)) return;
            _waiters.Add(waiter);
        }
        try
        {
            await waiter.Seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The daemon did not write '{text}' within {timeout}:\n{Output}");
        }
    }
}

/// <summary>How a test starts the daemon: which environment variable says which environment (none: nothing set), and whether through `dotnet run`.</summary>
public sealed record DaemonLaunch(string? EnvironmentVariable, string Environment, bool ViaDotnetRun = false)
{
    /// <summary>The daemon's own executable in Development: what most tests use.</summary>
    public static DaemonLaunch Development { get; } = new("ASPNETCORE_ENVIRONMENT", "Development");
}
