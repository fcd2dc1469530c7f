using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami.Transport;

/// <summary>Sends an action through the client's correlation (used by login sequences).</summary>
internal delegate Task<AmiResponse> AmiActionSender(AmiAction action, CancellationToken cancellationToken);
