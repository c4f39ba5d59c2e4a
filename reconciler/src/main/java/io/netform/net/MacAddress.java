package io.netform.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** A 48-bit Ethernet address, kept in canonical lower-case colon form. */
public record MacAddress(long value) implements Comparable<MacAddress> {

  private static final Pattern TEXT = Pattern.compile("([0-9a-fA-F]{2})(:[0-9a-fA-F]{2}){5}");

  public MacAddress {
    if ((value >>> 48) != 0) {
      throw new IllegalArgumentException("MAC address out of range");
    }
  }

  public static Optional<MacAddress> tryParse(String text) {
    if (text == null || !TEXT.matcher(text).matches()) {
      return Optional.empty();
    }
    return Optional.of(new MacAddress(Long.parseLong(text.replace(":", ""), 16)));
  }

  @JsonCreator
  public static MacAddress parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not a MAC address: " + text));
  }

  /** Docker's derivation: {@code 02:42:} followed by the four IPv4 bytes. */
  public static MacAddress dockerStyle(IpAddress ipv4) {
    if (!ipv4.isV4()) {
      throw new IllegalArgumentException("Docker-style MACs derive from IPv4 addresses");
    }
    return new MacAddress(0x0242L << 32 | ipv4.lo());
  }

  public static MacAddress fromBytes(byte[] b) {
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | (b[i] & 0xffL);
    }
    return new MacAddress(v);
  }

  public byte[] toBytes() {
    byte[] out = new byte[6];
    for (int i = 0; i < 6; i++) {
      out[i] = (byte) (value >>> (40 - 8 * i));
    }
    return out;
  }

  public boolean isMulticast() {
    return ((value >>> 40) & 1) == 1;
  }

  @Override
  public int compareTo(MacAddress o) {
    return Long.compare(value, o.value);
  }

  @JsonValue
  @Override
  public String toString() {
    String hex = String.format(Locale.ROOT, "%012x", value);
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(hex, i, i + 2);
    }
    return sb.toString();
  }
}
