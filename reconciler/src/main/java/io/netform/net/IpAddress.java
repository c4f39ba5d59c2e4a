package io.netform.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigInteger;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as an immutable value. IPv4 lives in the low 32 bits of {@code lo};
 * IPv6 uses both longs. Kept as two longs (not a byte array) so equality and hashing are cheap
 * and records holding addresses compare by value.
 */
public record IpAddress(Family family, long hi, long lo) implements Comparable<IpAddress> {

  public enum Family {
    V4(32), V6(128);

    public final int bits;

    Family(int bits) {
      this.bits = bits;
    }
  }

  public IpAddress {
    if (family == Family.V4 && (hi != 0 || (lo >>> 32) != 0)) {
      throw new IllegalArgumentException("IPv4 value out of range");
    }
  }

  public static IpAddress v4(long value) {
    return new IpAddress(Family.V4, 0, value & 0xffffffffL);
  }

  public static IpAddress v4(int a, int b, int c, int d) {
    return v4(((long) a << 24) | ((long) b << 16) | ((long) c << 8) | d);
  }

  /** 127.0.0.0/8 or ::1: the host talking to itself. */
  public boolean isLoopback() {
    return family == Family.V4 ? (lo >>> 24) == 127 : hi == 0 && lo == 1;
  }

  /** 0.0.0.0 or ::, which stand for every address when a socket or rule is bound. */
  public boolean isUnspecified() {
    return hi == 0 && lo == 0;
  }

  /** Parses dotted-quad IPv4 or RFC 4291 IPv6 text; empty when the text is neither. */
  public static Optional<IpAddress> tryParse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
  }

  @JsonCreator
  public static IpAddress parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not an IP address: " + text));
  }

  private static Optional<IpAddress> parseV4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    long value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      if (part.length() > 1 && part.charAt(0) == '0') {
        return Optional.empty(); // leading zeros are ambiguous (octal in some tools)
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return Optional.empty();
      }
      value = (value << 8) | octet;
    }
    return Optional.of(v4(value));
  }

  private static Optional<IpAddress> parseV6(String text) {
    int doubleColon = text.indexOf("::");
    if (doubleColon != text.lastIndexOf("::") && doubleColon >= 0) {
      return Optional.empty();
    }
    String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
    String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
    int[] headGroups = groups(head);
    int[] tailGroups = groups(tail);
    if (headGroups == null || tailGroups == null) {
      return Optional.empty();
    }
    int total = headGroups.length + tailGroups.length;
    if ((doubleColon < 0 && total != 8) || (doubleColon >= 0 && total > 7)) {
      return Optional.empty();
    }
    int[] all = new int[8];
    System.arraycopy(headGroups, 0, all, 0, headGroups.length);
    System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 4; i++) {
      hi = (hi << 16) | all[i];
      lo = (lo << 16) | all[i + 4];
    }
    return Optional.of(new IpAddress(Family.V6, hi, lo));
  }

  private static int[] groups(String part) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] texts = part.split(":", -1);
    int[] out = new int[texts.length];
    for (int i = 0; i < texts.length; i++) {
      String t = texts[i];
      if (t.isEmpty() || t.length() > 4) {
        return null;
      }
      try {
        out[i] = Integer.parseInt(t, 16);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return out;
  }

  public boolean isV4() {
    return family == Family.V4;
  }

  /** The address as an unsigned integer; for IPv4 this is {@code lo}. */
  public BigInteger toBigInteger() {
    if (isV4()) {
      return BigInteger.valueOf(lo);
    }
    return new BigInteger(1, toBytes());
  }

  public static IpAddress fromBigInteger(Family family, BigInteger value) {
    if (family == Family.V4) {
      return v4(value.longValue());
    }
    return new IpAddress(Family.V6, value.shiftRight(64).longValue(), value.longValue());
  }

  /** Network byte order, 4 or 16 bytes. */
  public byte[] toBytes() {
    if (isV4()) {
      return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
    }
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (hi >>> (56 - 8 * i));
      out[i + 8] = (byte) (lo >>> (56 - 8 * i));
    }
    return out;
  }

  public static IpAddress fromBytes(byte[] bytes) {
    if (bytes.length == 4) {
      return v4(((bytes[0] & 0xffL) << 24) | ((bytes[1] & 0xffL) << 16) | ((bytes[2] & 0xffL) << 8) | (bytes[3] & 0xffL));
    }
    if (bytes.length == 16) {
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < 8; i++) {
        hi = (hi << 8) | (bytes[i] & 0xffL);
        lo = (lo << 8) | (bytes[i + 8] & 0xffL);
      }
      return new IpAddress(Family.V6, hi, lo);
    }
    throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + bytes.length);
  }

  /** The next address, wrapping never: callers stay inside a subnet. */
  public IpAddress plus(long delta) {
    if (isV4()) {
      return v4(lo + delta);
    }
    return fromBigInteger(Family.V6, toBigInteger().add(BigInteger.valueOf(delta)));
  }

  @Override
  public int compareTo(IpAddress other) {
    int c = family.compareTo(other.family);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(hi, other.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
  }

  @JsonValue
  @Override
  public String toString() {
    if (isV4()) {
      return (lo >>> 24) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
    }
    return formatV6();
  }

  /** RFC 5952 text: lowercase, longest run of zero groups (length >= 2) compressed. */
  private String formatV6() {
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
      g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
