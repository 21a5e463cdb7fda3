"""The deploy-time runtime both CI backends share (docs/runtime.md). Not a backend: it imports
none, and `github_actions` and `codepipeline` import it.

- `helper`: odmd's deploy-time helper, the one stdlib-only script every GitHub job and
  CodeBuild project writes as `odmd.py` and runs (consume, publish, push images, npm);
- `document`: the enver document both engines hand it, made from the IR's `Enver`;
- `embed`: how a runtime module travels inside generated output (compacted, by heredoc);
- `variables`: the shell variable names of consumers (CodeBuild, the ssm backend's env files).
"""
