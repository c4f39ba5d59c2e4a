package io.netform.kernel.netlink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nftables tables, chains and rule comments of a network namespace, listed through
 * nf_tables' own netlink (a NETLINK_NETFILTER socket opened in that namespace), without the nft
 * tool: which tables exist (read by every observation of the nftables backend, so no process is
 * started for it), and where netform's comments are in iptables-nft's tables.
 */
public final class NftTables {

  // linux/netfilter/nf_tables.h
  private static final int NEW_TABLE = 0; // NFT_MSG_NEWTABLE: what a dump answers each table with
  private static final int GET_TABLE = 1;
  private static final int NEW_CHAIN = 3;
  private static final int GET_CHAIN = 4;
  private static final int NEW_RULE = 6;
  private static final int GET_RULE = 7;
  private static final int TABLE_NAME = 1; // NFTA_TABLE_NAME
  private static final int CHAIN_TABLE = 1; // NFTA_CHAIN_TABLE
  private static final int CHAIN_NAME = 3; // NFTA_CHAIN_NAME
  private static final int RULE_TABLE = 1; // NFTA_RULE_TABLE
  private static final int RULE_CHAIN = 2; // NFTA_RULE_CHAIN
  private static final int RULE_EXPRESSIONS = 4; // NFTA_RULE_EXPRESSIONS: a list of NFTA_LIST_ELEM
  private static final int RULE_USERDATA = 7; // NFTA_RULE_USERDATA: libnftnl's TLVs, nft's comment among them
  private static final int EXPRESSION_NAME = 1; // NFTA_EXPR_NAME
  private static final int EXPRESSION_DATA = 2; // NFTA_EXPR_DATA
  private static final int MATCH_NAME = 1; // NFTA_MATCH_NAME: an xtables match run by nft_compat
  private static final int MATCH_INFO = 3; // NFTA_MATCH_INFO: the match's struct (xt_comment_info: char[256])
  private static final int USERDATA_COMMENT = 0; // NFTNL_UDATA_RULE_COMMENT
  /** nftables' families (NFPROTO_*) by the name nft gives them. */
  public static final int IP = 2;
  public static final int IP6 = 10;

  /** A table: its family (NFPROTO_*) and name. */
  public record Table(int family, String name) {}

  /** A chain: its table's family and name, and its own name. */
  public record Chain(int family, String table, String name) {}

  /**
   * A rule's comment: nft's (kept in the rule's user data) or that of an xtables {@code comment}
   * match, as iptables-nft writes {@code -m comment --comment}; empty for a rule without one.
   */
  public record Rule(Chain chain, Optional<String> comment) {}

  private NftTables() {}

  /** Every table of every family; {@code socket}: NETLINK_NETFILTER, opened in the namespace meant. */
  public static List<Table> list(NetlinkSocket socket) {
    List<Table> out = new ArrayList<>();
    for (Message m : dump(socket, GET_TABLE, Nl.AF_UNSPEC, NEW_TABLE, "listing the nftables tables")) {
      String name = Message.string(Nfnetlink.attributes(m).get(TABLE_NAME));
      if (name != null) {
        out.add(new Table(Nfnetlink.family(m), name));
      }
    }
    return out;
  }

  /** Every chain of one family's tables (NFPROTO_*). */
  public static List<Chain> chains(NetlinkSocket socket, int family) {
    List<Chain> out = new ArrayList<>();
    for (Message m : dump(socket, GET_CHAIN, family, NEW_CHAIN, "listing the nftables chains")) {
      Map<Integer, byte[]> a = Nfnetlink.attributes(m);
      String table = Message.string(a.get(CHAIN_TABLE));
      String name = Message.string(a.get(CHAIN_NAME));
      if (table != null && name != null) {
        out.add(new Chain(Nfnetlink.family(m), table, name));
      }
    }
    return out;
  }

  /** The rules of one chain, in order, each with its comment; the kernel sends only that chain's. */
  public static List<Rule> rules(NetlinkSocket socket, Chain chain) {
    MessageBuilder request = Nfnetlink.request(Nfnetlink.NFTABLES, GET_RULE, Nl.F_DUMP, chain.family())
        .attrString(RULE_TABLE, chain.table()).attrString(RULE_CHAIN, chain.name());
    List<Rule> out = new ArrayList<>();
    for (Message m : Nfnetlink.dump(socket, request, Nfnetlink.NFTABLES, NEW_RULE, "listing the rules of an nftables chain")) {
      Map<Integer, byte[]> a = Nfnetlink.attributes(m);
      out.add(new Rule(chain, userdataComment(a.get(RULE_USERDATA)).or(() -> matchComment(a.get(RULE_EXPRESSIONS)))));
    }
    return out;
  }

  private static List<Message> dump(NetlinkSocket socket, int message, int family, int answer, String operation) {
    return Nfnetlink.dump(socket, Nfnetlink.request(Nfnetlink.NFTABLES, message, Nl.F_DUMP, family), Nfnetlink.NFTABLES,
        answer, operation);
  }

  /** libnftnl's user data: TLVs of a one-byte type and a one-byte length. */
  private static Optional<String> userdataComment(byte[] userdata) {
    for (int p = 0; userdata != null && p + 2 <= userdata.length; p += 2 + (userdata[p + 1] & 0xff)) {
      int length = userdata[p + 1] & 0xff;
      if (userdata[p] == USERDATA_COMMENT && p + 2 + length <= userdata.length) {
        return Optional.of(Message.string(Arrays.copyOfRange(userdata, p + 2, p + 2 + length)));
      }
    }
    return Optional.empty();
  }

  /** The text of the rule's first xtables {@code comment} match. */
  private static Optional<String> matchComment(byte[] expressions) {
    for (byte[] element : Message.list(expressions)) {
      Map<Integer, byte[]> e = Message.nested(element);
      if ("match".equals(Message.string(e.get(EXPRESSION_NAME)))) {
        Map<Integer, byte[]> match = Message.nested(e.get(EXPRESSION_DATA));
        if ("comment".equals(Message.string(match.get(MATCH_NAME))) && match.get(MATCH_INFO) != null) {
          return Optional.of(Message.string(match.get(MATCH_INFO)));
        }
      }
    }
    return Optional.empty();
  }
}
