import-summary = { $inserted } inserted, { $updated } updated, { $unchanged } unchanged
csv-empty = the file is empty
csv-malformed = the CSV file is malformed (unclosed quotes or invalid characters)
csv-missing-column = the column is missing
csv-duplicate-column = the column is repeated
csv-unnamed-column = column { $position } (no header)
csv-long-row = the row has { $found } fields and the header { $expected }
csv-short-row = the row ends before this column: it has { $found } fields and the header { $expected }
csv-unknown-column = is not a column of this file; the accepted ones are: { $accepted }
csv-more-problems = { $count ->
    [one] … and 1 more problem
   *[other] … and { $shown } more problems
}
import-title = Import into the registry
import-intro = Upload a CSV file. You will first see a preview with every problem found; nothing is saved until you confirm.
import-kind = File type
import-kind-schools = Schools (MINEDUC Directorio Oficial)
import-kind-networks = Networks and their schools (network, rbd, from_year, to_year)
import-kind-people = People and roles (name, email, rbd or network, role, from_year)
import-file = CSV file
import-preview = Preview
import-preview-title = Import preview
import-errors-title = { $count ->
    [one] 1 problem found. Fix the file and upload it again; nothing was saved.
   *[other] { $shown } problems found. Fix the file and upload it again; nothing was saved.
}
import-again = Upload another file
import-confirm = Confirm and import
import-done-title = Import finished
import-another = Import another file
responses-unknown-column = is neither a column of the responses format nor an item of the instrument
responses-duplicate-column = the column is repeated
responses-bad-value = is not a valid answer (1 to 5, NA or empty)
