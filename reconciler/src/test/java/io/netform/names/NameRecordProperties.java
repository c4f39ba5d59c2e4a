package io.netform.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.net.IpAddress;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A name record is read by the embedded DNS and by {@code show} from a state directory that
 * someone else may have written to: whatever its lines, reading one never fails, and what it
 * reads is written back the same way (the record netform would write of it reads as itself).
 */
class NameRecordProperties {

  private static final List<String> KEYS = List.of("serve", "endpoint", "remote", "hostname", "link", "extra_host", "dns",
      "dns_search", "dns_opt", "#", "unknown", "");

  @Property(tries = 500)
  void anyLinesReadWithoutFailingAndReadBackAsThemselves(@ForAll("records") String text) {
    NameRecord read = NameRecord.parse("c1", text);
    assertEquals(read, NameRecord.parse("c1", read.body()), () -> "read from:\n" + text + "\nwritten as:\n" + read.body());
  }

  @Property(tries = 200)
  void aWellFormedLineAmongAnyOthersIsStillRead(@ForAll("records") String text) {
    NameRecord read = NameRecord.parse("c1", text + "\nendpoint probe 10.9.9.9 - x,y names\n");
    NameRecord.Endpoint probe = new NameRecord.Endpoint("probe", Optional.of(IpAddress.parse("10.9.9.9")), Optional.empty(),
        List.of("x", "y"), true);
    assertTrue(read.endpoints().contains(probe), () -> read.endpoints().toString());
  }

  @Provide
  Arbitrary<String> records() {
    Arbitrary<String> word = Arbitraries.oneOf(
        Arbitraries.of("yes", "no", "-", "names", "no-names", "10.0.0.2", "fd00::2", "10.0.0.256", "::", "a,b", ",", "a,,b",
            "host-gateway", "web", "ndots:2"),
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(12),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(6)); // any characters, control and non-ASCII ones too
    Arbitrary<String> line = Arbitraries.of(KEYS).flatMap(key -> word.list().ofMaxSize(7)
        .map(words -> (key + " " + String.join(" ", words)).strip()));
    return line.list().ofMaxSize(12).map(lines -> String.join("\n", lines));
  }
}
