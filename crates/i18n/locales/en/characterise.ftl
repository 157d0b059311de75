characterise-unknown-focus = “{ $value }” is not a focus; the foci are: information, training, practices, learnings, resources, projects
characterise-level-out-of-range = the collaboration level goes from 0 to 5
characterise-rules-invalid = The continuum rules ({ $file }) cannot be used: { $detail }
