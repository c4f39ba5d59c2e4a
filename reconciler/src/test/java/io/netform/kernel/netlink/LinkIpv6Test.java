package io.netform.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Whether IPv6 is on on a link, read from the link message itself: the kernel adds each family's
 * sysctls of the link (IFLA_AF_SPEC), IPv6's as an array of s32 indexed by DEVCONF_*.
 */
class LinkIpv6Test {

  /** A link message as a dump carries it: IPv4's sysctls first (all 1), then IPv6's, with disable_ipv6 as given. */
  static LinkInfo link(Optional<Integer> disableIpv6) {
    MessageBuilder m = MessageBuilder.of(Nl.RTM_NEWLINK, 0).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(42).u32(Nl.IFF_UP).u32(0)
        .attrString(Nl.IFLA_IFNAME, "eth0");
    disableIpv6.ifPresent(d -> {
      ByteBuffer inet = ByteBuffer.allocate(4 * 33).order(ByteOrder.nativeOrder());
      Arrays.fill(inet.array(), (byte) 1);
      ByteBuffer inet6 = ByteBuffer.allocate(4 * 60).order(ByteOrder.nativeOrder());
      inet6.putInt(0, 1); // forwarding, and every other setting, on: only DEVCONF_DISABLE_IPV6 may decide
      inet6.putInt(Nl.DEVCONF_DISABLE_IPV6 * 4, d);
      inet6.putInt((Nl.DEVCONF_DISABLE_IPV6 + 1) * 4, 1);
      m.beginNested(Nl.IFLA_AF_SPEC)
          .beginNested(Nl.AF_INET).attr(1, inet.array()).endNested()
          .beginNested(Nl.AF_INET6).attrU32(1, 0x80000000).attr(Nl.IFLA_INET6_CONF, inet6.array()).endNested()
          .endNested();
    });
    byte[] bytes = m.build(1);
    return Rtnl.parseLink(NetlinkSocket.parse(bytes, bytes.length).get(0)).orElseThrow();
  }

  @Test
  void ipv6IsOnWhereDisableIpv6IsZero() {
    assertTrue(link(Optional.of(0)).ipv6());
  }

  @Test
  void ipv6IsOffWhereDisableIpv6IsSet() {
    assertFalse(link(Optional.of(1)).ipv6());
  }

  @Test
  void aLinkWithoutIpv6SysctlsHasIpv6Off() {
    assertFalse(link(Optional.empty()).ipv6(), "a kernel without IPv6: off, so IPv4-only containers plan nothing there");
  }
}
