using Portal.Asterisk.Manager;

namespace Portal.Tests.Manager;

public sealed class ManagerReaderTests
{
    private static List<ManagerMessage> Read(params string[] lines)
    {
        var reader = new ManagerReader();
        return lines.Select(reader.Feed).OfType<ManagerMessage>().ToList();
    }

    [Fact]
    public void The_banner_gives_the_manager_version_and_anything_else_is_not_Asterisk()
    {
        Assert.Equal("1.3", ManagerReader.BannerVersion("Asterisk Call Manager/1.3"));
        Assert.Null(ManagerReader.BannerVersion("SSH-2.0-OpenSSH_9.2"));
        Assert.Null(ManagerReader.BannerVersion("Asterisk Call Manager/"));
    }

    [Fact]
    public void A_blank_line_ends_each_message_and_responses_carry_their_ActionID()
    {
        var messages = Read("Response: Success", "ActionID: 7", "Message: Authentication accepted", "",
            "Event: FullyBooted", "Privilege: system,all", "Status: Fully Booted", "");

        Assert.Equal(2, messages.Count);
        Assert.Equal("7", messages[0].ActionId);
        Assert.True(messages[0].IsSuccess);
        Assert.False(messages[0].IsEvent);
        Assert.True(messages[1].IsEvent);
        Assert.Equal("Fully Booted", messages[1]["status"]);
    }

    [Fact]
    public void An_error_response_is_not_a_success_and_keeps_its_message()
    {
        var error = Assert.Single(Read("Response: Error", "ActionID: 1", "Message: Authentication failed", ""));
        Assert.False(error.IsSuccess);
        Assert.Equal("Authentication failed", error["Message"]);
    }

    [Fact]
    public void Command_output_keeps_colons_and_blank_lines_up_to_the_end_marker()
    {
        var message = Assert.Single(Read(
            "Response: Follows", "Privilege: Command", "ActionID: 3",
            "",
            "  * Name       : 1001",
            "  Secret       : <Set>",
            "--END COMMAND--",
            ""));

        Assert.Equal("3", message.ActionId);
        Assert.True(message.IsSuccess);
        Assert.Equal(["", "  * Name       : 1001", "  Secret       : <Set>"], message.Output);
        Assert.Null(message["Secret"]);
    }

    [Fact]
    public void The_end_marker_may_follow_the_last_output_line_directly()
    {
        var message = Assert.Single(Read("Response: Follows", "Privilege: Command", "ActionID: 4", "Peer nosuchpeer not found.--END COMMAND--", ""));
        Assert.Equal(["Peer nosuchpeer not found."], message.Output);
    }

    [Fact]
    public void A_line_that_is_not_key_value_is_a_protocol_error()
    {
        var reader = new ManagerReader();
        var e = Assert.Throws<ManagerProtocolException>(() => reader.Feed("garbage without a colon"));
        Assert.Contains("not \"Key: Value\"", e.Message);
    }

    [Fact]
    public void A_message_that_never_ends_is_cut_off_at_the_line_limit()
    {
        var reader = new ManagerReader();
        reader.Feed("Response: Follows");
        Assert.Throws<ManagerProtocolException>(() =>
        {
            for (var i = 0; i <= ManagerReader.MaxLines; i++)
            {
                reader.Feed("output line " + i);
            }
        });
    }

    [Fact]
    public void Actions_are_written_with_their_ActionID_and_refuse_line_breaks_in_values()
    {
        Assert.Equal("Action: Command\r\nActionID: 9\r\nCommand: core show channels\r\n\r\n", ManagerAction.Format("Command", "9", ("Command", "core show channels")));
        Assert.Throws<ArgumentException>(() => ManagerAction.Format("Command", "9", ("Command", "sip show peers\r\n\r\nAction: Logoff")));
    }

    [Theory]
    [InlineData(NodeAction.DialplanReload, null, "dialplan reload")]
    [InlineData(NodeAction.ShowChannels, null, "core show channels")]
    [InlineData(NodeAction.ShowPeer, "1001", "sip show peer 1001")]
    [InlineData(NodeAction.PrunePeer, "a-1001", "sip prune realtime peer a-1001")]
    [InlineData(NodeAction.ModuleReload, "chan_sip.so", "module reload chan_sip.so")]
    public void Only_whitelisted_commands_are_sent(NodeAction action, string? argument, string command) =>
        Assert.Equal(command, NodeActions.Command(action, argument).Command);

    [Theory]
    [InlineData(NodeAction.ShowPeer, "1001 load")]
    [InlineData(NodeAction.PrunePeer, "all")]
    [InlineData(NodeAction.PrunePeer, "x;core stop now")]
    [InlineData(NodeAction.ModuleReload, "res_config_mysql")]
    [InlineData(NodeAction.ModuleReload, "manager")]
    public void Anything_else_is_refused_with_a_reason(NodeAction action, string argument)
    {
        var (command, problem) = NodeActions.Command(action, argument);
        Assert.Null(command);
        Assert.NotNull(problem);
    }

    [Fact]
    public void Peers_with_an_address_are_counted_from_sip_show_peers()
    {
        string[] output =
        [
            "Name/username             Host                                    Dyn Forcerport ACL Port     Status      ",
            "a-1001/a-1001             127.0.0.1                                D  N             5062     Unmonitored ",
            "a-1002                    (Unspecified)                            D  N             0        Unmonitored ",
            "2 sip peers [Monitored: 0 online, 0 offline Unmonitored: 1 online, 1 offline]",
        ];
        Assert.Equal(1, SipPeersOutput.WithAddress(output));
    }
}
