package io.netform.kernel.firewall;

import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.NftNames;
import io.netform.net.IpAddress.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * netform's rules in nftables: the closed vocabulary of iptables matches and targets that netform
 * writes (see compile.FirewallRules), written as nft statements, and read back from nft's JSON into
 * the same iptables text, so a rule keeps its identity (its id hashes that text) whichever backend
 * holds it. Pure: no process, no kernel.
 *
 * <p>Each iptables table's chain becomes a chain of netform's own table named {@code TABLE-CHAIN}
 * ({@code filter-FORWARD}, {@code nat-NETFORM-DNAT}); the built-in ones are base chains hooked
 * where iptables hooks them, at the same priorities.
 */
final class NftSyntax {

  /** netform's table, one per family ({@code ip netform}, {@code ip6 netform}). */
  static final String TABLE = NftNames.TABLE;

  private NftSyntax() {}

  /** nft's name of the family: {@code ip} or {@code ip6}. */
  static String family(Family family) {
    return NftNames.family(family);
  }

  static Optional<Family> family(String nft) {
    return switch (nft) {
      case "ip" -> Optional.of(Family.V4);
      case "ip6" -> Optional.of(Family.V6);
      default -> Optional.empty();
    };
  }

  /** The nft chain of an iptables table's chain. */
  static String chain(FirewallTable table, String chain) {
    return NftNames.chain(table, chain);
  }

  /** The iptables table and chain of one of netform's nft chains; empty for a name netform does not make. */
  static Optional<TableChain> tableChain(String nftChain) {
    int dash = nftChain.indexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    return FirewallTable.of(nftChain.substring(0, dash)).map(t -> new TableChain(t, nftChain.substring(dash + 1)));
  }

  record TableChain(FirewallTable table, String chain) {}

  /** A base chain as netform declares it: iptables' hook and priority for that chain, policy accept. */
  record BaseChain(String type, String hook, String priority, int prio) {

    String declaration() {
      return "{ type " + type + " hook " + hook + " priority " + priority + "; policy accept; }";
    }

    /** Whether nft's JSON of a chain ({@code type}, {@code hook}, {@code prio}, {@code policy}) says the same. */
    boolean matches(JsonNode chain) {
      return chain.path("type").asString("").equals(type) && chain.path("hook").asString("").equals(hook)
          && chain.path("prio").isNumber() && chain.path("prio").asInt() == prio
          && chain.path("policy").asString("accept").equals("accept");
    }
  }

  /** The base chain netform makes for an iptables built-in chain; empty for a chain of netform's own (no hook). */
  static Optional<BaseChain> baseChain(FirewallTable table, String chain) {
    String hook = chain.toLowerCase(java.util.Locale.ROOT);
    BaseChain base = switch (table) {
      case FILTER -> switch (chain) {
        case "INPUT", "FORWARD", "OUTPUT" -> new BaseChain("filter", hook, "filter", 0);
        default -> null;
      };
      case NAT -> switch (chain) {
        case "PREROUTING" -> new BaseChain("nat", hook, "dstnat", -100);
        case "OUTPUT" -> new BaseChain("nat", hook, "-100", -100);
        case "POSTROUTING" -> new BaseChain("nat", hook, "srcnat", 100);
        case "INPUT" -> new BaseChain("nat", hook, "100", 100);
        default -> null;
      };
      case RAW -> switch (chain) {
        case "PREROUTING", "OUTPUT" -> new BaseChain("filter", hook, "raw", -300);
        default -> null;
      };
    };
    return Optional.ofNullable(base);
  }

  /** The rule as an nft statement (without its comment), in the order nft lists it back. */
  static String statement(FirewallRule rule) {
    try {
      return statementWords(rule);
    } catch (ArrayIndexOutOfBoundsException e) {
      throw unsupported(rule); // a match cut short
    }
  }

  private static String statementWords(FirewallRule rule) {
    String[] w = rule.spec().isEmpty() ? new String[0] : rule.spec().split(" ");
    String ip = family(rule.family());
    List<String> out = new ArrayList<>();
    boolean not = false;
    for (int i = 0; i < w.length; i++) {
      String op = not ? "!= " : "";
      switch (w[i]) {
        case "!" -> {
          not = true;
          continue;
        }
        case "-s", "-d" -> out.add(ip + (w[i].equals("-s") ? " saddr " : " daddr ") + op + address(w[++i]));
        case "-i", "-o" -> out.add((w[i].equals("-i") ? "iifname " : "oifname ") + op + "\"" + w[++i] + "\"");
        case "-p" -> {
          String protocol = w[++i];
          expect(rule, w, ++i, "-m");
          expect(rule, w, ++i, protocol);
          String which = w[++i];
          if (!which.equals("--dport") && !which.equals("--sport")) {
            throw unsupported(rule);
          }
          out.add(protocol + (which.equals("--dport") ? " dport " : " sport ") + w[++i].replace(':', '-'));
        }
        case "-m" -> {
          String module = w[++i];
          if (module.equals("addrtype")) {
            expect(rule, w, ++i, "--dst-type");
            expect(rule, w, ++i, "LOCAL");
            out.add("fib daddr type local");
          } else if (module.equals("conntrack")) {
            boolean negated = w[i + 1].equals("!");
            if (negated) {
              i++;
            }
            expect(rule, w, ++i, "--ctstate");
            String state = w[++i];
            if (state.equals("DNAT")) {
              // A flag: "!=" would compare every bit. The negation is written as every nft reads it (nft 1.0 lists it as "! dnat").
              out.add(negated ? "ct status & dnat == 0" : "ct status dnat");
            } else if (state.equals("RELATED,ESTABLISHED") && !negated) {
              out.add("ct state established,related");
            } else if (state.equals("INVALID,UNTRACKED") && !negated) {
              out.add("ct state invalid,untracked");
            } else {
              throw unsupported(rule);
            }
          } else {
            throw unsupported(rule);
          }
        }
        case "-j" -> {
          String target = w[++i];
          out.add("counter"); // as iptables counts every rule's packets and bytes
          out.add(switch (target) {
            case "ACCEPT", "DROP", "RETURN", "MASQUERADE" -> target.toLowerCase(java.util.Locale.ROOT);
            case "DNAT" -> {
              expect(rule, w, ++i, "--to-destination");
              yield "dnat to " + w[++i];
            }
            default -> {
              if (!target.startsWith("NETFORM-")) {
                throw unsupported(rule);
              }
              yield "jump " + chain(rule.table(), target);
            }
          });
        }
        default -> throw unsupported(rule);
      }
      if (not && !List.of("-s", "-d", "-i", "-o").contains(w[i - 1])) {
        throw unsupported(rule); // a "!" only ever negates an address or an interface here
      }
      not = false;
    }
    if (not) {
      throw unsupported(rule);
    }
    return String.join(" ", out);
  }

  /** A host address is written bare (nft lists {@code 10.0.0.2}, not {@code 10.0.0.2/32}). */
  private static String address(String cidr) {
    return cidr.endsWith("/32") || cidr.endsWith("/128") ? cidr.substring(0, cidr.lastIndexOf('/')) : cidr;
  }

  private static void expect(FirewallRule rule, String[] w, int i, String word) {
    if (i >= w.length || !w[i].equals(word)) {
      throw unsupported(rule);
    }
  }

  private static IllegalArgumentException unsupported(FirewallRule rule) {
    return new IllegalArgumentException("the nftables backend cannot write this rule: " + rule.displayName());
  }

  /**
   * The iptables text of a rule read from nft's JSON ({@code expr}), or empty when it holds
   * anything netform does not write (someone changed it, or it is not netform's).
   */
  static Optional<String> spec(JsonNode expr, FirewallTable table, Family family) {
    if (expr == null || !expr.isArray()) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : expr) {
      if (counter(e)) {
        continue;
      }
      Optional<String> words = words(e, table, family);
      if (words.isEmpty()) {
        return Optional.empty();
      }
      out.add(words.get());
    }
    return Optional.of(String.join(" ", out));
  }

  /** A counter changes nothing a rule does: netform writes one in each rule, and reads a rule the same with or without it. */
  static boolean counter(JsonNode e) {
    return e.size() == 1 && e.has("counter");
  }

  /** The iptables words of one expression of nft's JSON, or empty when netform does not write it. */
  static Optional<String> words(JsonNode e, FirewallTable table, Family family) {
    if (e.size() != 1) {
      return Optional.empty();
    }
    String kind = e.propertyNames().iterator().next();
    JsonNode v = e.get(kind);
    return switch (kind) {
      case "accept", "drop", "return", "masquerade" -> v.isNull() ? Optional.of("-j " + kind.toUpperCase(java.util.Locale.ROOT))
          : Optional.empty();
      case "jump", "goto" -> Optional.ofNullable(v.get("target")).filter(JsonNode::isString).map(JsonNode::asString)
          .filter(t -> t.startsWith(table.text() + "-NETFORM-"))
          .map(t -> (kind.equals("jump") ? "-j " : "-g ") + t.substring(table.text().length() + 1));
      case "dnat" -> dnat(v, family);
      case "match" -> match(v, family);
      default -> Optional.empty();
    };
  }

  private static Optional<String> dnat(JsonNode v, Family family) {
    JsonNode addr = v.get("addr");
    JsonNode port = v.get("port");
    if (addr == null || !addr.isString() || port == null || !port.isNumber() || v.size() != 2) {
      return Optional.empty();
    }
    String a = addr.asString();
    return Optional.of("-j DNAT --to-destination " + (family == Family.V6 ? "[" + a + "]" : a) + ":" + port.asInt());
  }

  private static Optional<String> match(JsonNode m, Family family) {
    String op = m.path("op").asString("");
    JsonNode left = m.path("left");
    JsonNode right = m.path("right");
    boolean equal = op.equals("==");
    boolean not = op.equals("!=");
    String bang = not ? "! " : "";
    if (left.has("payload")) {
      String protocol = left.get("payload").path("protocol").asString("");
      String field = left.get("payload").path("field").asString("");
      if (protocol.equals(family(family)) && (equal || not) && (field.equals("saddr") || field.equals("daddr"))) {
        return address(right, family).map(a -> bang + (field.equals("saddr") ? "-s " : "-d ") + a);
      }
      if (List.of("tcp", "udp", "sctp").contains(protocol) && equal && (field.equals("dport") || field.equals("sport"))) {
        return port(right).map(p -> "-p " + protocol + " -m " + protocol + " --" + field + " " + p);
      }
      return Optional.empty();
    }
    if (left.has("meta")) {
      String key = left.get("meta").path("key").asString("");
      if ((equal || not) && right.isString() && (key.equals("iifname") || key.equals("oifname"))) {
        return Optional.of(bang + (key.equals("iifname") ? "-i " : "-o ") + right.asString());
      }
      return Optional.empty();
    }
    if (left.has("&") && left.get("&").isArray() && left.get("&").size() == 2
        && left.get("&").get(0).path("ct").path("key").asString("").equals("status")
        && left.get("&").get(1).asString("").equals("dnat") && right.isNumber() && right.asInt() == 0 && (equal || not)) {
      // "ct status & dnat == 0" as an nft that does not list it as "! dnat" prints it (and "!= 0": the flag set)
      return Optional.of("-m conntrack " + (equal ? "! " : "") + "--ctstate DNAT");
    }
    if (left.has("ct")) {
      String key = left.get("ct").path("key").asString("");
      if (key.equals("status") && right.isString() && right.asString().equals("dnat") && (op.equals("in") || op.equals("!"))) {
        return Optional.of("-m conntrack " + (op.equals("!") ? "! " : "") + "--ctstate DNAT");
      }
      if (key.equals("state") && (op.equals("in") || equal) && right.isArray() && right.size() == 2) {
        String states = right.get(0).asString("") + "," + right.get(1).asString("");
        if (states.equals("established,related")) {
          return Optional.of("-m conntrack --ctstate RELATED,ESTABLISHED");
        }
        if (states.equals("invalid,untracked")) {
          return Optional.of("-m conntrack --ctstate INVALID,UNTRACKED");
        }
      }
      return Optional.empty();
    }
    if (left.has("fib")) {
      JsonNode fib = left.get("fib");
      JsonNode flags = fib.path("flags");
      boolean daddr = flags.isArray() ? flags.size() == 1 && flags.get(0).asString("").equals("daddr")
          : flags.asString("").equals("daddr");
      if (fib.path("result").asString("").equals("type") && daddr && equal && right.asString("").equals("local")) {
        return Optional.of("-m addrtype --dst-type LOCAL");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> address(JsonNode right, Family family) {
    if (right.isString()) {
      return Optional.of(right.asString() + (family == Family.V6 ? "/128" : "/32"));
    }
    JsonNode prefix = right.get("prefix");
    if (prefix != null && prefix.path("addr").isString() && prefix.path("len").isNumber()) {
      return Optional.of(prefix.get("addr").asString() + "/" + prefix.get("len").asInt());
    }
    return Optional.empty();
  }

  private static Optional<String> port(JsonNode right) {
    if (right.isNumber()) {
      return Optional.of(Integer.toString(right.asInt()));
    }
    JsonNode range = right.get("range");
    if (range != null && range.isArray() && range.size() == 2 && range.get(0).isNumber() && range.get(1).isNumber()) {
      return Optional.of(range.get(0).asInt() + ":" + range.get(1).asInt());
    }
    return Optional.empty();
  }
}
