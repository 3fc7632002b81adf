#!/usr/bin/env bash
# Regenerates the pictures in docs/images from the project's own demo output:
#   scripts/docs-images.sh
# Needs Chromium for the text screenshot (apt-get install chromium).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=$(mktemp -d)
./explain4j demo --out "$out" --samples 50 >/dev/null
mkdir -p docs/images
cp "$out/shapes.png" docs/images/demo-shapes.png
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$out/profile" \
  --screenshot="$root/docs/images/demo-sentences.png" --window-size=1000,420 "file://$out/sentences.html" 2>/dev/null
echo "wrote docs/images/demo-shapes.png and docs/images/demo-sentences.png"

# Every attribution method on one real photo with a real model (Google's MobileNet, in ../shared).
shared="$root/../shared"
if [[ -f "$shared/models/mobilenet-v1-025-128-frozen/frozen_graph.pb" && -f "$shared/images/grace_hopper.jpg" ]]; then
  (cd "$root" && mvn -q -B -DskipTests -pl examples -am install >/dev/null)
  java -cp "examples/target/classes:$(cat examples/target/classpath.txt)" org.explain4j.examples.MethodGallery \
    "$shared/models/mobilenet-v1-025-128-frozen/frozen_graph.pb" "$shared/images/grace_hopper.jpg" docs/images/methods.png \
    0.0078431 1 2>/dev/null | tail -1
else
  echo "skipped docs/images/methods.png: ../shared/models/mobilenet-v1-025-128-frozen or ../shared/images is absent"
fi
