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

    /// <summary>
    /// Starts the daemon in Development (as `dotnet run` does) on free REST and FastAGI ports and waits
    /// until /healthz answers. AMI points at <paramref name="amiPort"/> (a simulated Asterisk), or at a
    /// free port where nothing listens, never at a real 5038.
    /// </summary>
    public static async Task<DaemonProcess> StartAsync(string? root = null, IDictionary<string, string>? settings = null, int? amiPort = null)
    {
        root ??= Directory.CreateTempSubdirectory("pbxmodules-e2e-").FullName;
        var restPort = FreePort();
        var agiPort = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DaemonAssemblyPath);
        info.ArgumentList.Add($"--Rest:Url=http://127.0.0.1:{restPort}");
        info.ArgumentList.Add($"--Agi:Port={agiPort}");
        info.ArgumentList.Add($"--Ami:Port={amiPort ?? FreePort()}");
        info.ArgumentList.Add("--Ami:Secret=admin-secret");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            info.ArgumentList.Add($"--{key}={value}");
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Logging__Console__FormatterName"] = "simple";

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started.");
        var daemon = new DaemonProcess(process, root, restPort, agiPort);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
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
                throw new TimeoutException($"The daemon did not answer /healthz within 90 s:\n{daemon.Output}");
            }
            await Task.Delay(200, deadline.Token);
        }
    }

    /// <summary>Stops the daemon the way systemd does (SIGTERM) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
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
        lock (_output) _output.AppendLine(line);
    }
}
