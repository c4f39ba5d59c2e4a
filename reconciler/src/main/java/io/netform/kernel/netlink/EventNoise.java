package io.netform.kernel.netlink;

/**
 * Route-change notifications about things netform neither owns nor reads, which therefore can
 * never be drift: IPv6's own bookkeeping on every interface that has IPv6 (its link-local address
 * appearing and finishing duplicate address detection, the routes the kernel makes for it,
 * router-solicitation state). A host that has just gained a thousand bridge ports sends these for
 * seconds; taking each for drift kept the agent busy re-reading the host instead of applying the
 * next commit.
 */
public final class EventNoise {

  private EventNoise() {}

  /** True if {@code m} cannot change anything netform observes. */
  public static boolean isNoise(Message m) {
    if (m.payload().length < 8) {
      return false;
    }
    int family = m.u8(0);
    return switch (m.type()) {
      // ifaddrmsg: family, prefix length, flags, scope. The observer skips link-scope addresses.
      case Nl.RTM_NEWADDR, Nl.RTM_DELADDR -> m.u8(3) == Nl.RT_SCOPE_LINK;
      // rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type. The kernel's own IPv6 routes
      // (link-local, local and connected ones) come and go with addresses and links, which have events of
      // their own. Not its multicast route (ff00::/8): it comes and goes at once when IPv6 is turned on or
      // off on an interface (disable_ipv6, which netform observes), the only event that says so; the
      // link-local address follows only after duplicate address detection, a second or two later.
      case Nl.RTM_NEWROUTE, Nl.RTM_DELROUTE -> family == Nl.AF_INET6 && m.u8(5) == Nl.RTPROT_KERNEL
          && m.u8(7) != Nl.RTN_MULTICAST;
      // An ifinfomsg of family AF_INET6 carries IPv6's per-link state (router solicitation), never the link itself.
      case Nl.RTM_NEWLINK -> family == Nl.AF_INET6;
      default -> false;
    };
  }
}
