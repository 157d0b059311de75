finding-agree = { $n } in 10 participants agree with "{ $item }"
finding-disagree = { $n } in 10 participants disagree with "{ $item }"
scale-1 = Strongly disagree
scale-2 = Disagree
scale-3 = Neither agree nor disagree
scale-4 = Agree
scale-5 = Strongly agree
scale-na = Not applicable
chart-desc = 100% stacked bars for { $count } groups: disagreement left of the centre line, agreement to the right, "Not applicable" apart in grey. The figures are in the table next to the chart.
chart-suppressed = Group with fewer than { $k } answers: not shown
heatmap-desc = Heat map of { $rows } rows by { $columns } columns; each cell is the percentage of agreement. Grey cells with a dash are groups too small to show.
design-no-rating-items = the instrument has no agreement-scale items (select_one acuerdo5): there is nothing to report
responses-field-count = the row has { $found } fields and the header { $expected }

## Results pages.
results-title = Results
results-national = National
results-total = Total
results-subdimensions-national = Sub-dimensions, national
results-intro-national = How answers are distributed by dimension and sub-dimension, nationally and by region, with disagreement to the left and agreement to the right.
results-intro-region = The region against the country in each sub-dimension, and its networks.
results-intro-network = The network against its region and the country in each sub-dimension, and how it changed across years.
results-intro-item = One statement, nationally and by region.
results-network-too-small = This network has fewer than { $k } valid responses in this campaign: its results are not shown, so nobody can be identified. The region and the country are shown.
results-respondents = Valid responses
results-anonymity = No group with fewer than 5 responses is shown.
results-suppressed-note = Some groups have too few responses and are not shown; when only one would be, the next smallest is hidden too, so it cannot be worked out from the total.
results-suppressed = Group too small: not shown
results-findings = Findings
results-rates = Response rate
results-networks-in-scope = Networks invited
results-networks-with-answers = Networks with answers
results-cases = Cases
results-data-table = Data table
results-disagree = Disagree
results-agree = Agree
results-heat = Agreement by sub-dimension
results-heat-regions = Agreement by region and sub-dimension (%)
results-heat-networks = Agreement by network and sub-dimension (%)
results-by-region = Results by region
results-by-network = Results by network
results-across-years = change across years
results-link = See results
results-items = Statements
results-items-list = See each statement
export-col-response-id = Response ID
export-note-na = In agreement questions 9 is "No aplica" (not applicable) and is declared a missing value; an empty cell is an unanswered question.
results-years-title = Year-over-year comparison
results-intro-years = Each sub-dimension in every campaign of the same questionnaire. A year is shown only with at least 5 responses.

## PDF reports.
results-pdf = Download PDF
results-pdf-es = PDF in Spanish
results-pdf-en = PDF in English
results-pdf-scale = Scale: 1 = Strongly disagree, 2 = Disagree, 3 = Neither agree nor disagree, 4 = Agree, 5 = Strongly agree; NA = Not applicable. Percentages of the answers; n = valid responses / answers to the statements.
results-pdf-respondents = { $n } valid responses · { $campaign }
results-pdf-group = Group
results-pdf-failed = The PDF could not be made: { $reason }
