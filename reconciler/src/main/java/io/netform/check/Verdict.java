package io.netform.check;

import io.netform.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What checking one expectation found: the answer at each address tried. */
public record Verdict(Probe probe, Map<IpAddress, Answer> answers) {

  /** Checked by another host. */
  public boolean skipped() {
    return probe.elsewhere();
  }

  /** Whether the path was open: some address answered. */
  public boolean open() {
    return answers.values().stream().anyMatch(Answer::open);
  }

  /** An address could not be tried here (a local error), and none answered: the path is not known. */
  public boolean unknown() {
    return !open() && answers.values().stream().anyMatch(a -> a == Answer.FAILED);
  }

  public boolean held() {
    return skipped() || probe.notHere().isEmpty() && !unknown() && open() == probe.expectation().reachable();
  }

  /** One line: ok, FAIL or skip, the expectation, and what each address answered. */
  public String line() {
    String what = probe.expectation().describe();
    if (probe.notHere().isPresent()) {
      return skipped() ? "skip  " + what + "  (" + probe.notHere().get() + ")"
          : "FAIL  " + what + "  cannot be checked: " + probe.notHere().get() + "  (" + probe.expectation().at() + ")";
    }
    String found = answers.isEmpty() ? "no address this host reaches it at" : answers.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue().text()).collect(Collectors.joining(", "));
    String expected = probe.expectation().reachable() ? "reachable" : "blocked";
    String seen = unknown() ? "cannot be checked" : open() ? "reachable" : "blocked";
    return (held() ? "ok    " : "FAIL  ") + what + "  expected " + expected + ", " + seen + ": " + found
        + (held() ? "" : "  (" + probe.expectation().at() + ")");
  }

  /** The summary line and whether every expectation checked here held. */
  public static String summary(List<Verdict> verdicts) {
    long skipped = verdicts.stream().filter(Verdict::skipped).count();
    long failed = verdicts.stream().filter(v -> !v.held()).count();
    long checked = verdicts.size() - skipped;
    return checked + " expectation" + (checked == 1 ? "" : "s") + " checked: " + (checked - failed) + " held, " + failed
        + " failed" + (skipped == 0 ? "" : "; " + skipped + " checked on other hosts") + ".";
  }
}
