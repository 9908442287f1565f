using Microsoft.AspNetCore.DataProtection;

namespace Portal.Web.Features.Nodes;

/// <summary>
/// The nodes' manager secrets, encrypted with the portal's Data Protection keys (kept in its database): the column
/// alone does not give a node away, and the secret is decrypted only to log in.
/// </summary>
public sealed class NodeSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("Portal.Nodes.ManagerSecret");

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);
}
