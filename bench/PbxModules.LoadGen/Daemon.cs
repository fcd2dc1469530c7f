using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace PbxModules.LoadGen;

/// <summary>
/// The real daemon as its own process (as tests/PbxModules.EndToEnd.Tests/DaemonProcess does): free
/// loopback ports, data under a temp root, Development settings (modules from the host's build output,
/// loopback trusted), AMI pointed at a free port where nothing listens.
/// </summary>
internal sealed class Daemon : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private Daemon(Process process, int restPort, int agiPort)
    {
        _process = process;
        RestPort = restPort;
        AgiPort = agiPort;
    }

    /// <summary>The daemon's resident memory now.</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    public int RestPort { get; }

    public int AgiPort { get; }

    /// <summary>The last lines the daemon wrote.</summary>
    public string Tail
    {
        get { lock (_tail) return string.Join('\n', _tail); }
    }

    /// <summary>The daemon assembly built with this project (same configuration).</summary>
    public static string DefaultPath => typeof(Daemon).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PbxModulesDaemonPath").Value!;

    public static async Task<Daemon> StartAsync(string daemonPath, string root, string logLevel, int restPort, int agiPort, int amiPort)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(daemonPath);
        info.ArgumentList.Add($"--Rest:Url=http://127.0.0.1:{restPort}");
        info.ArgumentList.Add($"--Agi:Port={agiPort}");
        info.ArgumentList.Add($"--Ami:Port={amiPort}");
        info.ArgumentList.Add("--Ami:Secret=loadgen-secret");
        // Console logging per session would measure the console: warnings and up only, and the
        // router's "not routed" warning (the baseline's path) off too, unless asked otherwise.
        info.ArgumentList.Add($"--Logging:LogLevel:Default={logLevel}");
        info.ArgumentList.Add($"--Logging:LogLevel:Microsoft.EntityFrameworkCore={logLevel}");
        info.ArgumentList.Add($"--Logging:LogLevel:Module.module-black-list.Microsoft.EntityFrameworkCore={(logLevel is "Information" or "Debug" or "Trace" ? "Warning" : logLevel)}");
        if (logLevel == "Warning") info.ArgumentList.Add("--Logging:LogLevel:PbxModules.Host.Agi.AgiRouter=Error");
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Logging__Console__FormatterName"] = "simple";

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started.");
        var daemon = new Daemon(process, restPort, agiPort);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}"), Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The daemon exited with code {process.ExitCode}:\n{daemon.Tail}");
            if (deadline.Elapsed > TimeSpan.FromSeconds(180))
            {
                await daemon.DisposeAsync();
                throw new TimeoutException($"The daemon did not answer /healthz within 180 s:\n{daemon.Tail}");
            }
            try
            {
                using var response = await http.GetAsync("/healthz");
                // Degraded (AMI unreachable, on purpose) still answers: any answer means it is up.
                if ((int)response.StatusCode is 200 or 503) return daemon;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
    }

    /// <summary>Stops the daemon as systemd does (SIGTERM) and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
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
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 200) _tail.Dequeue();
        }
    }
}
