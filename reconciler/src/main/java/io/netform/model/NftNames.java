package io.netform.model;

import io.netform.net.IpAddress;

/**
 * The names of netform's own nftables objects (with {@code --firewall-backend nftables}): its table
 * in each family, {@code ip netform} and {@code ip6 netform}, and in it one chain per iptables
 * table and chain, {@code TABLE-CHAIN}. One place for them: the backend makes and reads them, a
 * foreign rule's delete command names them.
 */
public final class NftNames {

  public static final String TABLE = "netform";

  private NftNames() {}

  /** nft's name of the family: {@code ip} or {@code ip6}. */
  public static String family(IpAddress.Family family) {
    return family == IpAddress.Family.V6 ? "ip6" : "ip";
  }

  /** The nft chain of an iptables table's chain: {@code filter-NETFORM-FORWARD}. */
  public static String chain(FirewallTable table, String chain) {
    return table.text() + "-" + chain;
  }

  /** Where a chain is, as nft commands name it: {@code ip netform filter-NETFORM-FORWARD}. */
  public static String place(IpAddress.Family family, FirewallTable table, String chain) {
    return family(family) + " " + TABLE + " " + chain(table, chain);
  }
}
