# Ruby 3.4 compiled to WASI, running in the sandbox.
name = $stdin.gets&.chomp || "world"
puts "Hello, #{name}! This is Ruby #{RUBY_VERSION}."
puts "Arguments: #{ARGV.inspect}"

File.write("greeting.txt", "Hello, #{name}\n")
puts "Wrote greeting.txt: #{File.read('greeting.txt').inspect}"

counts = %w[apple banana apple cherry banana apple].tally
counts.sort_by { |_, n| -n }.each { |fruit, n| puts format("%-7s %d", fruit, n) }
