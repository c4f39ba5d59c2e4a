package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever text arrives, checking it ends in a result with diagnostics, never an exception: a
 * user's mistake must never become a stack trace.
 */
class HostileInputProperties {

  @Property(tries = 400)
  void anyYamlishTextIsCheckedWithoutThrowing(@ForAll("yamlish") String text) {
    DesiredStateCheck.Checked checked = DesiredStateCheck.runText("fuzz.yaml", text);
    assertNotNull(checked.state());
    checked.diagnostics().forEach(d -> assertFalse(d.hint().isBlank(), d::toString));
  }

  @Property(tries = 300)
  void mutatedExamplesAreCheckedWithoutThrowing(@ForAll("mutatedExample") String text) {
    DesiredStateCheck.Checked checked = DesiredStateCheck.runText("mutated.yaml", text);
    assertNotNull(checked.state());
  }

  @Provide
  Arbitrary<String> yamlish() {
    Arbitrary<String> tokens = Arbitraries.of("version: 1\n", "networks:\n", "containers:\n", "  web:\n", "    ",
        "ipam: {config: [{subnet: 10.0.0.0/24}]}\n", "networks: [web]\n", "network_mode: none\n", "&a ", "*a", "[", "]",
        "{", "}", ":", "- ", "\"", "'", "\n", "  ", "10.0.0.300", "ports: [\"80:80\"]\n", "!!int ", "~", "null",
        "driver_opts: {x: 1}\n", "ipv4_address: 10.0.0.5", "container:web", "\t", "# c\n", "---\n", "?", "|\n", ">\n");
    return tokens.list().ofMaxSize(40).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> mutatedExample() {
    String base = """
        version: 1
        networks:
          web:
            bridge_name: br-web
            ipam:
              config:
                - subnet: 10.15.20.0/24
                  gateway: 10.15.20.1
                  ip_range: 10.15.20.128/25
                  aux_addresses: {router: 10.15.20.2}
            driver_opts: {com.docker.network.bridge.enable_icc: "false"}
        containers:
          a:
            networks:
              web: {ipv4_address: 10.15.20.10, aliases: [x]}
            ports: ["8080:80", "127.0.0.1:53:53/udp"]
          b: {network_mode: "container:a"}
        """;
    return Arbitraries.integers().between(0, base.length() - 1).list().ofMinSize(1).ofMaxSize(4)
        .flatMap(cuts -> Arbitraries.strings().withChars(" :-[]{}\"'\n#&*!.0123456789abc").ofMaxLength(3)
            .list().ofSize(cuts.size()).map(inserts -> {
              StringBuilder sb = new StringBuilder(base);
              for (int i = cuts.size() - 1; i >= 0; i--) {
                int at = Math.min(cuts.get(i), sb.length());
                sb.replace(at, Math.min(sb.length(), at + 1), inserts.get(i));
              }
              return sb.toString();
            }));
  }
}
