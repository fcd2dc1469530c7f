using System.Text;
using PbxModules.Asterisk.Ami;
using PbxModules.Asterisk.Ami.Protocol;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Testing.Ami;

namespace PbxModules.Asterisk.Tests.Ami;

/// <summary>Replays the captured Asterisk 20 AMI sessions through the parser and the writer.</summary>
public sealed class AmiFixtureReplayTests
{
    public static TheoryData<string> Captures => new() { "ami_session", "ami_challenge_login", "ami_failed_login" };

    [Theory]
    [MemberData(nameof(Captures))]
    public void Transcript_and_raw_bytes_agree(string capture)
    {
        // The oracle for the parser is the transcript: first make sure it says what the raw bytes say.
        var fromTranscript = string.Concat(AmiFixtures.TranscriptLines(capture + ".txt", "S>"));
        Assert.Equal(Encoding.UTF8.GetString(AmiFixtures.Bytes(capture + ".recv.raw")), fromTranscript);
        var sentTranscript = string.Concat(AmiFixtures.TranscriptLines(capture + ".txt", "C>"));
        Assert.Equal(Encoding.UTF8.GetString(AmiFixtures.Bytes(capture + ".sent.raw")), sentTranscript);
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Received_stream_parses_into_the_transcript_frames(string capture)
    {
        var expected = AmiFixtures.NaiveFrames(AmiFixtures.TranscriptLines(capture + ".txt", "S>"), banner: true);

        var frames = AmiFixtures.ParseInChunks([AmiFixtures.Bytes(capture + ".recv.raw")], expectBanner: true, out var banner);

        Assert.Equal("Asterisk Call Manager/9.0.0", banner);
        Assert.Equal(expected, AmiFixtures.HeadersOf(frames));
        Assert.All(frames, f => Assert.True(f is AmiEvent or AmiResponse, $"unclassified frame {f}"));
    }

    [Fact]
    public void Session_frames_keep_wire_casing_empty_values_and_command_output()
    {
        var frames = AmiFixtures.ParseInChunks([AmiFixtures.Bytes("ami_session.recv.raw")], expectBanner: true, out _);
        var responses = frames.OfType<AmiResponse>().ToList();

        var settings = responses.Single(r => r.ActionId == "cs-1");
        Assert.Equal("9.0.0", settings["amiversion"]);
        Assert.Equal("AMIversion", settings.Headers.First(h => h.Key.Equals("amiversion", StringComparison.OrdinalIgnoreCase)).Key);
        Assert.Equal(string.Empty, settings["SystemName"]);

        var dialplan = responses.Single(r => r.ActionId == "cmd-3");
        Assert.Equal("Command output follows", dialplan.Message);
        Assert.Equal(9, dialplan.Output.Count);
        Assert.Equal("  '_X.' =>          1. NoOp(test)                                 [extensions.conf:9]", dialplan.Output[1]);
        Assert.Equal(string.Empty, dialplan.Output[7]);

        var unknown = responses.Single(r => r.ActionId == "cmd-4");
        Assert.False(unknown.IsSuccess);
        Assert.StartsWith("No such command 'no such cli command'", unknown.Output[0], StringComparison.Ordinal);

        var originate = frames.OfType<AmiEvent>().Single(e => e.Name == "OriginateResponse" && e.ActionId == "orig-1");
        Assert.Equal("4", originate["Reason"]);
        Assert.Equal("Unknown", frames.OfType<AmiEvent>().Last(e => e["Cause-txt"] is not null)["cause-TXT"]);
    }

    [Fact]
    public void Writer_reproduces_every_deterministic_action_of_the_session()
    {
        var sent = AmiFixtures.TranscriptLines("ami_session.txt", "C>");
        var actionFrames = SplitFrames(sent);
        var checkedCount = 0;
        foreach (var frameLines in actionFrames)
        {
            var headers = AmiFixtures.NaiveFrames(frameLines, banner: false).Single();
            // The writer always writes "Action" then "ActionID": the capture's deliberately odd frames
            // (no ActionID, lower-case names) are not something the client produces.
            if (headers[0].Key != "Action" || headers.Count < 2 || headers[1].Key != "ActionID") continue;
            var action = new AmiAction(headers[0].Value);
            foreach (var (name, value) in headers.Skip(2)) action.With(name, value);

            var bytes = AmiFrameWriter.ToBytes(action, headers[1].Value);

            Assert.Equal(string.Concat(frameLines), Encoding.UTF8.GetString(bytes));
            checkedCount++;
        }

        Assert.Equal(22, checkedCount);
    }

    [Fact]
    public void Challenge_key_is_md5_of_challenge_and_secret()
        => Assert.Equal("6207db9c434a8ba488a7905ba27c7747", AmiChallenge.ComputeKey("124886002", "admin-secret"));

    [Fact]
    public async Task Client_challenge_login_sends_the_captured_bytes()
    {
        await using var server = await AmiTestSupport.StartServerAsync(new SimulatedAmiServerOptions { ChallengeFactory = () => "124886002" });
        var options = AmiTestSupport.TcpOptions(server);
        options.ActionIdPrefix = "ch-";
        options.KeepAliveInterval = TimeSpan.Zero;
        await using var client = await AmiTestSupport.StartClientAsync(options);

        var captured = Encoding.UTF8.GetString(AmiFixtures.Bytes("ami_challenge_login.sent.raw"));
        var loginBytes = string.Concat(server.ReceivedActions.Take(2).Select(a => a.RawText));
        Assert.StartsWith(loginBytes, captured, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_plain_login_sends_the_captured_bytes()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        var options = AmiTestSupport.TcpOptions(server);
        options.ActionIdPrefix = "login-";
        options.UseChallengeLogin = false;
        options.KeepAliveInterval = TimeSpan.Zero;
        await using var client = await AmiTestSupport.StartClientAsync(options);

        var captured = string.Concat(SplitFrames(AmiFixtures.TranscriptLines("ami_session.txt", "C>"))[0]);
        Assert.Equal(captured, server.ReceivedActions[0].RawText);
    }

    [Fact]
    public async Task Client_failed_login_sends_the_captured_bytes_and_is_reported_without_the_secret()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        var options = AmiTestSupport.TcpOptions(server);
        options.ActionIdPrefix = "login-bad-";
        options.UseChallengeLogin = false;
        options.Secret = "wrong-secret";
        var logger = new TestLogger();
        await using var client = new AmiClient(options, logger);
        var refused = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Disconnected);
        await client.StartAsync();

        var state = await refused;

        Assert.Contains("Authentication failed", state.Reason, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString(AmiFixtures.Bytes("ami_failed_login.sent.raw")), server.ReceivedActions[0].RawText);
        Assert.True(logger.Contains("refused: Authentication failed"), logger.All);
        Assert.False(logger.Contains("wrong-secret"), logger.All);
    }

    private static List<List<string>> SplitFrames(List<string> lines)
    {
        var frames = new List<List<string>>();
        var current = new List<string>();
        foreach (var line in lines)
        {
            current.Add(line);
            if (line is "\r\n" or "\n")
            {
                frames.Add(current);
                current = [];
            }
        }

        return frames;
    }
}
