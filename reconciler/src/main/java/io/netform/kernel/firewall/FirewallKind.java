package io.netform.kernel.firewall;

import io.netform.kernel.netns.NetnsHandle;
import java.util.Locale;

/** Which firewall netform writes its rules to on a host: iptables (the default, as Docker 20.10) or nftables. */
public enum FirewallKind {
  IPTABLES, NFTABLES;

  /** The environment variable that chooses the backend when no option does. */
  public static final String ENVIRONMENT = "NETFORM_FIREWALL_BACKEND";

  public FirewallBackend open(NetnsHandle namespace) {
    return this == NFTABLES ? new NftablesBackend(namespace) : new IptablesBackend(namespace);
  }

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind named {@code text} ({@code iptables}, {@code nftables}; any case), or empty. */
  public static java.util.Optional<FirewallKind> parse(String text) {
    return java.util.Arrays.stream(values()).filter(k -> k.text().equals(text.strip().toLowerCase(Locale.ROOT))).findFirst();
  }
}
