# A pipeline of busybox applets over the workspace's files.
mkdir -p notes
printf 'apple\nbanana\napple\ncherry\n' > notes/monday.txt
printf 'banana\napple\ndate\n' > notes/tuesday.txt
echo "fruit counts over $(ls notes | wc -l) files:"
cat notes/*.txt | sort | uniq -c | sort -rn
find notes -name '*.txt' | sort
