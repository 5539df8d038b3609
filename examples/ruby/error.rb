# An uncaught exception: the backtrace names the line, and the editor marks it.
def average(values)
  values.sum / values.size
end

puts average([3, 4, 5])
puts average([])
