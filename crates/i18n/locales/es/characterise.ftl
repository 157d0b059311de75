characterise-unknown-focus = «{ $value }» no es un foco; los focos son: information, training, practices, learnings, resources, projects
characterise-level-out-of-range = el nivel de colaboración va de 0 a 5
characterise-rules-invalid = Las reglas del continuo ({ $file }) no sirven: { $detail }
