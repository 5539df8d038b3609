# Python's output through grep into a file, then read back.
python3 -c 'for i in range(1, 11): print("line", i, "even" if i % 2 == 0 else "odd")' | grep even > evens.txt
echo "$(wc -l < evens.txt) even lines in evens.txt:"
head -n 3 evens.txt
grep -q odd evens.txt || echo "no odd lines (grep exited $?)"
