import { ApiProperty } from '@nestjs/swagger';
import { Documents } from './shape';

/** How every view names a person: authors, actors, reporters. */
export interface PersonView {
  id: string;
  displayName: string;
}

@Documents<PersonView>('Person', 'Someone as the public sees them: an id and a display name.')
export class PersonSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '시민' })
  displayName!: string;
}
