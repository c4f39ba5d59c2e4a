package io.netform.kernel.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * The nftables tables of a network namespace, listed through nf_tables' own netlink (a
 * NETLINK_NETFILTER socket opened in that namespace), without the nft tool: enough to tell that a
 * table exists where nft is missing.
 */
public final class NftTables {

  // linux/netfilter/nfnetlink.h, nf_tables.h
  private static final int SUBSYSTEM = 10 << 8; // NFNL_SUBSYS_NFTABLES
  private static final int NEW_TABLE = SUBSYSTEM; // NFT_MSG_NEWTABLE: what a dump answers each table with
  private static final int GET_TABLE = SUBSYSTEM | 1; // NFT_MSG_GETTABLE
  private static final int HEADER = 4; // struct nfgenmsg: family, version, resource id
  private static final int TABLE_NAME = 1; // NFTA_TABLE_NAME
  /** nftables' families (NFPROTO_*) by the name nft gives them. */
  public static final int IP = 2;
  public static final int IP6 = 10;

  /** A table: its family (NFPROTO_*) and name. */
  public record Table(int family, String name) {}

  private NftTables() {}

  /** Every table of every family; {@code socket}: NETLINK_NETFILTER, opened in the namespace meant. */
  public static List<Table> list(NetlinkSocket socket) {
    MessageBuilder request = MessageBuilder.of(GET_TABLE, Nl.F_DUMP).u8(Nl.AF_UNSPEC).u8(0).u16(0);
    List<Table> out = new ArrayList<>();
    for (Message m : socket.dump(request, "listing the nftables tables")) {
      if (m.type() == NEW_TABLE) {
        byte[] name = m.attributes(HEADER).get(TABLE_NAME);
        if (name != null) {
          out.add(new Table(m.u8(0), Message.string(name)));
        }
      }
    }
    return out;
  }
}
