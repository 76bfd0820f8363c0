using Cairn.Core.Audit;
using Cairn.Core.Identity;
using Cairn.Dashboard.Hosting;
using Cairn.Storage.Sessions;

namespace Cairn.Dashboard.Sessions;

/// <summary>
/// The signed-in principal of one dashboard request (scoped), and the <see cref="RequestContext"/> every application
/// service call of the request is authorized with; the session middleware fills it and audits its decisions at the end.
/// </summary>
public sealed class DashboardUser(DashboardOptions options, TimeProvider time)
{
    private RequestContext? _context;

    public ConsoleSession? Session { get; internal set; }

    /// <summary>The client's address, for the request context and the audit log.</summary>
    public string? ClientAddress { get; internal set; }

    public Principal Principal => Session?.Principal ?? throw new InvalidOperationException("No one is signed in: the session middleware lets no page run without a session.");

    /// <summary>The request context of this request, made once: every decision of the request lands in its audit trail.</summary>
    public RequestContext Context => _context ??= new RequestContext(Principal, options.Region, Guid.NewGuid().ToString(), ClientAddress, time.GetUtcNow());

    /// <summary>The context when a page made one (it called a service), for the audit log.</summary>
    internal RequestContext? ContextIfUsed => _context;

    /// <summary>Writes the request's decisions to the audit log as one console operation.</summary>
    internal void Audit(IAuditLog audit, string operation, int status)
    {
        if (_context is { } context)
        {
            audit.Record(context, operation, context.Audit.Decisions.Any(d => !d.Allowed) ? "AccessDeniedException" : status >= 400 ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        }
    }
}
