package io.netform.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void firstLastAndCanonicalForm() {
    Cidr c = Cidr.parse("192.168.0.1/16");
    assertTrue(c.hasHostBits());
    assertEquals("192.168.0.0/16", c.network().toString());
    assertEquals("192.168.255.255", c.last().toString());
    assertFalse(c.network().hasHostBits());
  }

  @Test
  void containmentAndOverlap() {
    Cidr a = Cidr.parse("10.0.0.0/16");
    Cidr b = Cidr.parse("10.0.5.0/24");
    assertTrue(a.contains(b));
    assertFalse(b.contains(a));
    assertTrue(a.overlaps(b) && b.overlaps(a));
    assertFalse(a.overlaps(Cidr.parse("10.1.0.0/16")));
    assertFalse(a.overlaps(Cidr.parse("fd00::/64")));
  }

  @Test
  void ipv6Blocks() {
    Cidr c = Cidr.parse("fd00:10::5/64");
    assertEquals("fd00:10::/64", c.network().toString());
    assertTrue(c.contains(IpAddress.parse("fd00:10::ffff")));
    assertFalse(c.contains(IpAddress.parse("fd00:11::1")));
  }

  @Test
  void rejectsBadText() {
    assertFalse(Cidr.tryParse("10.0.0.0").isPresent());
    assertFalse(Cidr.tryParse("10.0.0.0/33").isPresent());
    assertFalse(Cidr.tryParse("10.0.0.0/").isPresent());
    assertFalse(Cidr.tryParse("10.0.0.0/-1").isPresent());
  }

  @Property
  void everyAddressOfABlockIsBetweenFirstAndLast(@ForAll @LongRange(max = 0xffffffffL) long base,
      @ForAll @IntRange(min = 0, max = 32) int prefix, @ForAll @LongRange(max = 0xffffffffL) long probe) {
    Cidr c = new Cidr(IpAddress.v4(base), prefix);
    IpAddress ip = IpAddress.v4(probe);
    boolean inside = ip.compareTo(c.first()) >= 0 && ip.compareTo(c.last()) <= 0;
    assertEquals(inside, c.contains(ip));
    assertEquals(c.size(), c.last().lo() - c.first().lo() + 1);
  }
}
