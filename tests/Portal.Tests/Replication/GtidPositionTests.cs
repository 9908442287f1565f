using Portal.Web.Features.Replication;

namespace Portal.Tests.Replication;

public class GtidPositionTests
{
    [Theory]
    [InlineData("0-1-1042", "0-1-1042", 0)]
    [InlineData("0-1-1042", "0-1-1040", 2)]
    [InlineData("0-1-1042", "", 1042)]
    [InlineData("0-1-1042,1-3-7", "0-1-1042", 7)]
    [InlineData("0-1-1042,1-3-7", "1-3-5,0-2-1000", 44)]
    [InlineData("0-1-1040", "0-1-1042", 0)]
    public void MariaDb_counts_missing_seq_numbers_per_domain(string master, string replica, long behind)
    {
        Assert.Equal(behind, GtidPosition.Behind(master, replica));
    }

    [Theory]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5210", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5210", 0)]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5210", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5200", 10)]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100:105-110", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-99:106", 6)]
    [InlineData("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-10,\n5b2a1c3d-8e9f-11ee-a1b2-0242ac120003:1-3", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10", 3)]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", "", 5)]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa9429562:7", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", 1)]
    public void MySql_counts_transactions_missing_from_the_set(string master, string replica, long behind)
    {
        Assert.Equal(behind, GtidPosition.Behind(master, replica));
    }

    [Theory]
    [InlineData(null, "0-1-1")]
    [InlineData("0-1-1", null)]
    [InlineData("garbage", "0-1-1")]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa9429562:x-y", "")]
    public void Unknown_or_unreadable_positions_give_no_number(string? master, string? replica)
    {
        Assert.Null(GtidPosition.Behind(master, replica));
    }
}
