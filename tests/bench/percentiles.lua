-- wrk's --latency prints the 50th, 75th, 90th and 99th percentiles only. run.py passes this
-- script with -s to get the 95th too: one "percentile <p> <microseconds>" line each.
done = function(summary, latency, requests)
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("percentile %g %d\n", p, latency:percentile(p)))
  end
end
