package io.netform.compile;

import io.netform.desired.Protocol;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.net.IpAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one of netform's DNAT rules for a published port does: connections of {@code protocol}
 * to {@code hostPort} on a host address ({@code hostAddress}, or any) go to
 * {@code container}:{@code containerPort}. Read back from the rule's spec ({@link FirewallRules}
 * writes it), in every shape netform writes or wrote.
 */
public record PortForward(IpAddress.Family family, Protocol protocol, Optional<IpAddress> hostAddress, int hostPort,
    IpAddress container, int containerPort) {

  /**
   * A published port's DNAT rule, of either family; {@code ! -i BRIDGE} is the shape netform wrote
   * before containers reached ports through the host, {@code ! -d 127.0.0.0/8} that of a port
   * published through an external network's bridge.
   */
  private static final Pattern DNAT = Pattern.compile("^(?:-d (\\S+)/(?:32|128) )?(?:! -d 127\\.0\\.0\\.0/8 )?(?:! -i \\S+ )?"
      + "-p (\\w+) -m \\w+ --dport (\\d+) -j DNAT --to-destination \\[?([\\d.]+|[0-9a-f:]+)\\]?:(\\d+)$");

  /** The forward {@code rule} makes; empty for any other rule. */
  public static Optional<PortForward> of(FirewallRule rule) {
    Matcher m = DNAT.matcher(rule.spec());
    if (rule.table() != FirewallTable.NAT || !rule.chain().equals(Chains.DNAT) || !m.matches()) {
      return Optional.empty();
    }
    Protocol protocol;
    try {
      protocol = Protocol.valueOf(m.group(2).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(new PortForward(rule.family(), protocol, Optional.ofNullable(m.group(1)).map(IpAddress::parse),
        Integer.parseInt(m.group(3)), IpAddress.parse(m.group(4)), Integer.parseInt(m.group(5))));
  }

  /** The protocol's number in IP headers (and in the connection tracker). */
  public int protocolNumber() {
    return switch (protocol) {
      case TCP -> 6;
      case UDP -> 17;
      case SCTP -> 132;
    };
  }
}
