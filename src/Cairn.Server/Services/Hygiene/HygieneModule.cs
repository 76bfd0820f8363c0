using Cairn.Application.Hygiene;
using Cairn.Server.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.Hygiene;

internal static class HygieneModule
{
    /// <summary>Secret hygiene: naming rules (checked by PutParameter), the report, the policy suggestion, and their API (CairnSecrets).</summary>
    public static IServiceCollection AddHygiene(this IServiceCollection services)
    {
        services.AddSingleton<NamingRuleService>();
        services.AddSingleton<SecretsReportService>();
        services.AddSingleton<PolicySuggestionService>();
        services.AddSingleton<IJsonService, HygieneService>();
        return services;
    }
}
