# Variables, loops, a glob, arithmetic, && and ||.
count=0
for name in alpha beta gamma; do
  echo "$name" > "$name.item"
  count=$((count + 1))
done
for file in *.item; do
  echo "$file: $(wc -c < "$file") bytes"
done
echo "made $count files"
i=3
while [ "$i" -gt 0 ]; do
  echo "countdown $i"
  i=$((i - 1))
done
test -f alpha.item && echo "alpha.item is there" || echo "alpha.item is missing"
