# Network analysis (trama-sna): problems in edge and node lists.
sna-unknown-node = is not in the id column of the nodes file
sna-negative-weight = is a negative tie strength; use 0 or more
sna-self-loop = is both source and target (a self-loop); remove the row or use --drop-self-loops
sna-duplicate-arc = repeats the arc { $source } → { $target } of line { $line }; keep one row or combine them with --merge-duplicates sum|max
