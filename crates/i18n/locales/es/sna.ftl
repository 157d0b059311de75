# Análisis de redes (trama-sna): errores en las listas de aristas y nodos.
sna-unknown-node = no está en la columna id del archivo de nodos
sna-negative-weight = es una intensidad negativa; use 0 o más
sna-self-loop = es el mismo origen y destino (un lazo); quite la fila o use --drop-self-loops
sna-duplicate-arc = repite el arco { $source } → { $target } de la línea { $line }; deje una sola fila o combínelas con --merge-duplicates sum|max
