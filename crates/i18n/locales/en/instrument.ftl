# Instruments (questionnaires): the agreement scale and problems in XLSForm files.
instrument-acuerdo5-1 = Strongly disagree
instrument-acuerdo5-2 = Disagree
instrument-acuerdo5-3 = Neither agree nor disagree
instrument-acuerdo5-4 = Agree
instrument-acuerdo5-5 = Strongly agree
instrument-acuerdo5-na = Not applicable

instrument-unreadable = cannot be read as an Excel workbook (.xlsx) or as CSV
instrument-missing-sheet = the sheet “{ $sheet }” is missing
instrument-missing-column = this column is missing
instrument-no-questions = the form has no questions
instrument-required = a value is required
instrument-invalid-name = not a valid name: use unaccented letters, digits and _, starting with a letter
instrument-duplicate-name = this name is already used on row { $row }
instrument-unknown-type = not a known type (select_one LIST, select_multiple LIST, integer, decimal, text, note, begin_group, end_group)
instrument-unparsable = cannot be interpreted: { $detail }
instrument-unknown-reference = refers to “{ $name }”, which is not a question of the form
instrument-only-for-rating = this column is only for agreement-scale items (select_one acuerdo5)
instrument-subdimension-without-dimension = a sub-dimension needs its dimension in the dimension column
instrument-subdimension-in-two-dimensions = this sub-dimension already belongs to dimension “{ $dimension }” (row { $row })
instrument-unknown-code = not in the list “{ $list }” of the choices sheet
instrument-not-zero-one = must be 0 or 1
instrument-not-yes-no = must be yes or no (or 1 or 0)
instrument-missing-label = the Spanish label is missing
instrument-unknown-choice-list = the list “{ $list }” is not in the choices sheet
instrument-group-not-closed = the group “{ $name }” is never closed with end_group
instrument-group-not-opened = end_group without an open begin_group
instrument-duplicate-choice = this choice is already in the list “{ $list }” (row { $row })
instrument-choice-name-with-spaces = a choice value cannot contain spaces
instrument-acuerdo5-mismatch = acuerdo5 is Trama's agreement scale: its values must be 1, 2, 3, 4, 5 and NA, in that order
instrument-unknown-language = unknown language: use es or en

instrument-expr-empty = the expression is empty
instrument-expr-unexpected-end = the expression ends too early
instrument-expr-unexpected = unexpected “{ $found }” at position { $pos }
instrument-expr-unterminated-string = the quote opened at position { $pos } is never closed
instrument-expr-unknown-function = unknown function “{ $name }” at position { $pos } (not, selected, count-selected, true, false are supported)
instrument-expr-bad-reference = badly written reference at position { $pos }: write ${"{"}name{"}"}
instrument-expr-current-outside-constraint = “.” is only used in constraint (position { $pos })

instrument-answer-not-a-choice = “{ $value }” is not one of the choices
instrument-answer-constraint = the answer does not meet the question's condition
instrument-answer-not-answerable = this row takes no answer

## Roster: collaboration levels (0–5) and what people exchange.
instrument-level-0 = None
instrument-level-0-desc = We do not work together.
instrument-level-1 = Networking
instrument-level-1-desc = We know of each other and meet in the network, but do no work together.
instrument-level-2 = Cooperation
instrument-level-2-desc = We help when asked: we lend materials or pass on specific information.
instrument-level-3 = Coordination
instrument-level-3-desc = We adjust what each of us does towards a shared end, such as calendars or activities.
instrument-level-4 = Coalition
instrument-level-4-desc = We share resources and decisions around an agreed goal.
instrument-level-5 = Collaboration
instrument-level-5-desc = We work together steadily: we plan, act and evaluate jointly.
instrument-level-unknown = I do not know this person
instrument-focus-information = Passing on information
instrument-focus-training = Training or capacity building
instrument-focus-practices = Sharing practices
instrument-focus-learnings = Sharing learnings
instrument-focus-resources = Obtaining resources jointly
instrument-focus-projects = Joint socio-educational projects
instrument-process-informative = Informative
instrument-process-collaborative = Collaborative
instrument-process-cooperative = Cooperative
