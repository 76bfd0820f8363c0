using System.Text;
using System.Xml.Linq;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>GenerateCredentialReport and GetCredentialReport: adapters over <see cref="Application.Identity.CredentialReportService"/>.</summary>
internal sealed partial class IamService
{
    private void RegisterCredentialReports()
    {
        On("GenerateCredentialReport", GenerateCredentialReportAsync);
        On("GetCredentialReport", GetCredentialReportAsync);
    }

    private async Task<XElement?> GenerateCredentialReportAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var state = await _credentialReports.GenerateAsync(context, cancellationToken);
        return Result("GenerateCredentialReport", E("State", state.State), E("Description", state.Description));
    }

    private async Task<XElement?> GetCredentialReportAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var report = await _credentialReports.GetAsync(context, cancellationToken);
        return Result("GetCredentialReport",
            E("Content", Convert.ToBase64String(Encoding.UTF8.GetBytes(report.Content))), E("ReportFormat", "text/csv"), E("GeneratedTime", report.GeneratedAt));
    }
}
