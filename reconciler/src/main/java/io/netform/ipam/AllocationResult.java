package io.netform.ipam;

import io.netform.diagnostics.Diagnostic;
import java.util.List;

/** An allocation plus the problems that prevented parts of it (e.g. a pool with no free address). */
public record AllocationResult(Allocation allocation, List<Diagnostic> problems) {

  public AllocationResult {
    problems = List.copyOf(problems);
  }
}
