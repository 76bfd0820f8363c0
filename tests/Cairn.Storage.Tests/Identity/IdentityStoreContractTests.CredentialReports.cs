using Cairn.Core.Identity.Iam;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Identity;

/// <summary>The contract for credential reports: one per account, the last put replaces the one before.</summary>
public abstract partial class IdentityStoreContractTests
{
    [StoreFact]
    public async Task A_credential_report_is_kept_per_account_and_replaced_by_the_next()
    {
        Assert.Null(await Store.FindCredentialReportAsync(Account, None));

        await Store.PutCredentialReportAsync(new CredentialReport(Account, Now, "user,arn\nfirst"), None);
        await Store.PutCredentialReportAsync(new CredentialReport(OtherAccount, Now, "user,arn\nother"), None);
        await Store.PutCredentialReportAsync(new CredentialReport(Account, Now.AddHours(5), "user,arn\nsecond"), None);

        Assert.Equal(new CredentialReport(Account, Now.AddHours(5), "user,arn\nsecond"), await Store.FindCredentialReportAsync(Account, None));
        Assert.Equal("user,arn\nother", (await Store.FindCredentialReportAsync(OtherAccount, None))!.Content);
    }
}
