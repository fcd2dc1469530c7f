using PbxModules.Asterisk.Tests.Agi.Support;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>Every typed command through the real server, against the simulated Asterisk, over loopback TCP.</summary>
public class TypedCommandTests
{
    private static async Task<(SimulatedAgiCall Call, T Result)> RunAsync<T>(Func<IAgiChannel, CancellationToken, Task<T>> handler, SimulatedAgiCallOptions? options = null)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            try
            {
                result.SetResult(await handler(channel, token));
            }
            catch (Exception ex)
            {
                result.SetException(ex);
            }
        });
        var call = await SimulatedAgiCall.ConnectAsync(server.Port, options);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        await call.DisposeAsync();
        Assert.Empty(server.Errors());
        return (call, await result.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static string[] Lines(SimulatedAgiCall call) => [.. call.Commands.Select(c => c.Line)];

    [Fact]
    public async Task The_black_list_check_flow()
    {
        var options = new SimulatedAgiCallOptions { CallerId = "0912345678", CallerIdName = "Blocked Guy", Script = "module-black-list/check" };
        var (call, seen) = await RunAsync(async (channel, token) =>
        {
            var number = await channel.GetVariableAsync("CALLERID(num)", token);
            await channel.SetVariableAsync("BLACKLISTED", number == "0912345678" ? "1" : "0", token);
            return (channel.Request.Path, number);
        }, options);
        Assert.Equal(("module-black-list/check", "0912345678"), seen);
        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal(["GET VARIABLE CALLERID(num)", "SET VARIABLE BLACKLISTED 1"], Lines(call));
    }

    [Fact]
    public async Task Variables_round_trip_whatever_they_hold()
    {
        const string nasty = "a \"quoted\" \\ value\twith tab and $ {braces} (parens)";
        var (call, seen) = await RunAsync(async (channel, token) =>
        {
            await channel.SetVariableAsync("NASTY", nasty, token);
            var unset = await channel.GetVariableAsync("NOSUCHVARIABLE", token);
            var back = await channel.GetVariableAsync("NASTY", token);
            var full = await channel.GetFullVariableAsync("${CALLERID(num)}-${NASTY}", cancellationToken: token);
            var otherChannel = await channel.GetFullVariableAsync("${X}", "SIP/nobody-0000", token);
            return (unset, back, full, otherChannel);
        }, new SimulatedAgiCallOptions { CallerId = "555" });
        Assert.Null(seen.unset);
        Assert.Equal(nasty, seen.back);
        Assert.Equal("555-" + nasty, seen.full);
        Assert.Null(seen.otherChannel);
        Assert.Equal(nasty, call.Variables["NASTY"]);
        Assert.Equal(5, call.Commands.Count);
    }

    [Fact]
    public async Task Exec_returns_the_application_result_and_minus_two_for_unknown_ones()
    {
        var (call, seen) = await RunAsync(async (channel, token) =>
            (await channel.ExecAsync("NoOp", "x", token), await channel.ExecAsync("NoSuchApp", "x", token),
             await channel.ExecAsync("Set", "FROM_EXEC=a b,c", token)));
        Assert.Equal((0, -2, 0), seen);
        Assert.Equal("a b,c", call.Variables["FROM_EXEC"]);
        Assert.Equal(["EXEC NoOp x", "EXEC NoSuchApp x", "EXEC Set \"FROM_EXEC=a b,c\""], Lines(call));
    }

    [Fact]
    public async Task Answer_and_channel_status()
    {
        var (call, seen) = await RunAsync(async (channel, token) =>
        {
            var before = await channel.GetChannelStatusAsync(cancellationToken: token);
            await channel.AnswerAsync(token);
            var after = await channel.GetChannelStatusAsync(cancellationToken: token);
            var other = await channel.GetChannelStatusAsync("SIP/nobody-0000", token);
            return (before, after, other);
        });
        Assert.Equal((AgiChannelStatus.Ring, AgiChannelStatus.Up, AgiChannelStatus.NotFound), seen);
        Assert.True(call.IsAnswered);
    }

    [Fact]
    public async Task Database_commands()
    {
        var options = new SimulatedAgiCallOptions();
        options.Database["blacklist/111"] = "spam";
        var (call, seen) = await RunAsync(async (channel, token) =>
        {
            await channel.DatabasePutAsync("test", "key", "some value", token);
            var value = await channel.DatabaseGetAsync("test", "key", token);
            var missing = await channel.DatabaseGetAsync("test", "nokey", token);
            var deleted = await channel.DatabaseDeleteAsync("test", "key", token);
            var deletedAgain = await channel.DatabaseDeleteAsync("test", "key", token);
            var preset = await channel.DatabaseGetAsync("blacklist", "111", token);
            var tree = await channel.DatabaseDeleteTreeAsync("blacklist", cancellationToken: token);
            return (value, missing, deleted, deletedAgain, preset, tree);
        }, options);
        Assert.Equal(("some value", (string?)null, true, false, "spam", true), seen);
        Assert.Empty(call.Database);
        Assert.Equal("DATABASE PUT test key \"some value\"", call.Commands[0].Line);
    }

    [Fact]
    public async Task Playback_and_dtmf_commands_report_the_keys_pressed()
    {
        var (call, seen) = await RunAsync(async (channel, token) =>
        {
            var stream = await channel.StreamFileAsync("beep", "123", cancellationToken: token);        // presses 1
            var plain = await channel.StreamFileAsync("beep", cancellationToken: token);                  // no escape digits
            var digit = await channel.WaitForDigitAsync(TimeSpan.FromSeconds(5), token);                 // presses 2
            var data = await channel.GetDataAsync("enter-number", TimeSpan.FromSeconds(3), 4, token);    // 0123
            var said = await channel.SayDigitsAsync("123", "#", token);                                  // presses #
            var number = await channel.SayNumberAsync(42, cancellationToken: token);
            var timeout = await channel.WaitForDigitAsync(TimeSpan.FromMilliseconds(10), token);          // nothing left
            var partial = await channel.GetDataAsync("enter-number", cancellationToken: token);
            return (stream, plain, digit, data, said, number, timeout, partial);
        }, new SimulatedAgiCallOptions { Dtmf = "120123#" });
        Assert.Equal(new AgiPlaybackResult('1', 4000), seen.stream);
        Assert.Equal(new AgiPlaybackResult(null, 8000), seen.plain);
        Assert.Equal('2', seen.digit);
        Assert.Equal(new AgiGetDataResult("0123", false), seen.data);
        Assert.Equal('#', seen.said);
        Assert.Null(seen.number);
        Assert.Null(seen.timeout);
        Assert.Equal(new AgiGetDataResult("", true), seen.partial);
        Assert.Equal(
            ["STREAM FILE beep 123", "STREAM FILE beep \"\"", "WAIT FOR DIGIT 5000", "GET DATA enter-number 3000 4", "SAY DIGITS 123 #",
             "SAY NUMBER 42 \"\"", "WAIT FOR DIGIT 10", "GET DATA enter-number"],
            Lines(call));
    }

    [Fact]
    public async Task The_other_say_commands_and_options()
    {
        var when = new DateTimeOffset(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);
        var (call, _) = await RunAsync(async (channel, token) =>
        {
            await channel.SayAlphaAsync("abc", cancellationToken: token);
            await channel.SayPhoneticAsync("xyz", cancellationToken: token);
            await channel.SayDateAsync(when, cancellationToken: token);
            await channel.SayTimeAsync(when, cancellationToken: token);
            await channel.SayDateTimeAsync(when, "#", timeZone: "Europe/Paris", cancellationToken: token);
            var option = await channel.GetOptionAsync("menu", "12", TimeSpan.FromSeconds(2), token);
            var control = await channel.ControlStreamFileAsync("long", "", pauseDigit: '5', cancellationToken: token);
            return (option, control);
        });
        Assert.Equal(
            ["SAY ALPHA abc \"\"", "SAY PHONETIC xyz \"\"", $"SAY DATE {when.ToUnixTimeSeconds()} \"\"", $"SAY TIME {when.ToUnixTimeSeconds()} \"\"",
             $"SAY DATETIME {when.ToUnixTimeSeconds()} # \"ABdY 'digits/at' IMp\" Europe/Paris", "GET OPTION menu 12 2000",
             "CONTROL STREAM FILE long \"\" 3000 # * 5"],
            Lines(call));
    }

    [Fact]
    public async Task Dialplan_location_caller_id_music_autohangup_verbose_noop()
    {
        var (call, _) = await RunAsync(async (channel, token) =>
        {
            await channel.SetContextAsync("blocked", token);
            await channel.SetExtensionAsync("s", token);
            await channel.SetPriorityAsync(1, token);
            await channel.SetCallerIdAsync("\"Alice Doe\" <100>", token);
            await channel.SetMusicAsync(true, "default", token);
            await channel.SetAutoHangupAsync(TimeSpan.FromSeconds(1.5), token);
            await channel.VerboseAsync("blocked a call", 3, token);
            await channel.NoopAsync(token);
            var name = await channel.GetVariableAsync("CALLERID(name)", token);
            return name;
        });
        Assert.Equal(("blocked", "s", "1"), call.DialplanLocation);
        Assert.Equal("SET CALLERID \"\\\"Alice Doe\\\" <100>\"", call.Commands[3].Line);
        Assert.Equal("SET AUTOHANGUP 1.5", call.Commands[5].Line);
        Assert.Equal("VERBOSE \"blocked a call\" 3", call.Commands[6].Line);
    }

    [Fact]
    public async Task Record_file_reports_why_it_stopped()
    {
        var (call, seen) = await RunAsync(async (channel, token) =>
            (await channel.RecordFileAsync("/tmp/msg", "wav", "#", TimeSpan.FromSeconds(30), beep: true, silence: TimeSpan.FromSeconds(3), cancellationToken: token),
             await channel.RecordFileAsync("/tmp/msg2", "wav", cancellationToken: token)),
            new SimulatedAgiCallOptions { Dtmf = "#" });
        Assert.Equal(new AgiRecordResult('#', AgiRecordEnd.Dtmf, 8000), seen.Item1);
        Assert.Equal(new AgiRecordResult(null, AgiRecordEnd.Timeout, 16000), seen.Item2);
        Assert.Equal("RECORD FILE /tmp/msg wav # 30000 0 BEEP s=3", call.Commands[0].Line);
        Assert.Equal("RECORD FILE /tmp/msg2 wav # -1", call.Commands[1].Line);
    }

    [Fact]
    public async Task Errors_are_exceptions_with_the_reply()
    {
        var options = new SimulatedAgiCallOptions()
            .Reply("STREAM FILE", "200 result=-1 endpos=0")
            .Reply("DATABASE PUT", "200 result=0");
        var (_, seen) = await RunAsync(async (channel, token) =>
        {
            // The raw command returns error replies; only the typed methods throw.
            var unknown = await channel.SendCommandAsync("FOO BAR", token);
            var usage = await channel.SendCommandAsync("GET FULL VARIABLE ${CALLERID(all)} extra words", token);
            var missingFile = await Assert.ThrowsAsync<AgiCommandException>(() => channel.StreamFileAsync("nosuchfile", cancellationToken: token));
            var put = await Assert.ThrowsAsync<AgiCommandException>(() => channel.DatabasePutAsync("f", "k", "v", token));
            return (unknown.StatusCode, usage.StatusCode, usage.Text, missingFile.Message, put.Reply.Result);
        }, options);
        Assert.Equal(510, seen.Item1);
        Assert.Equal(520, seen.Item2);
        Assert.StartsWith("Invalid command syntax.  Proper usage follows:\nEvaluates the given", seen.Item3);
        Assert.EndsWith("End of proper usage.", seen.Item3);
        Assert.Equal("AGI command 'STREAM FILE nosuchfile \"\"' failed: Asterisk answered '200 result=-1 endpos=0'", seen.Item4);
        Assert.Equal(0, seen.Item5);
    }

    [Fact]
    public async Task Typed_commands_throw_command_exception_for_510_and_520()
    {
        var options = new SimulatedAgiCallOptions().Reply("GET VARIABLE", "510 Invalid or unknown command").Reply("VERBOSE", SimulatedAgiReply.DeadChannel);
        var (_, seen) = await RunAsync(async (channel, token) =>
        {
            var e510 = await Assert.ThrowsAsync<AgiCommandException>(() => channel.GetVariableAsync("X", token));
            var e511 = await Assert.ThrowsAsync<AgiHangupException>(() => channel.VerboseAsync("x", cancellationToken: token));
            return (e510.Message, e511.Message);
        }, options);
        Assert.Equal("Asterisk refused AGI command 'GET VARIABLE X' with 510: Invalid or unknown command", seen.Item1);
        Assert.Contains("511", seen.Item2);
    }
}
